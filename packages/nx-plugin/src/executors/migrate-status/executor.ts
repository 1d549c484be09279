import type { ExecutorContext } from '@nx/devkit'
import { pgshiftCli } from '../../cli/pgshift-cli.js'
import type { PgshiftCli } from '../../cli/pgshift-cli.js'
import { runSpecCommand } from '../spec-command.js'
import type { SpecCommand } from '../spec-command.js'
import type { MigrateStatusExecutorOptions } from './schema.js'

const status: SpecCommand<MigrateStatusExecutorOptions> = {
  name: 'status',
  perRun: 'one',
  live: true,
  args: (options, [spec = '']) => [
    '--spec',
    spec,
    ...(options.format === undefined ? [] : ['--format', options.format]),
    ...watchArgs(options.watch),
  ],
}

// `--watch [seconds]`: true is the bare flag (the CLI's default interval), a number sets it
function watchArgs(watch: MigrateStatusExecutorOptions['watch']): string[] {
  if (watch === undefined || watch === false) return []
  return watch === true ? ['--watch'] : ['--watch', String(watch)]
}

/** `nx run <project>:migrate-status`: `pgshift status` for the project's one (or chosen) spec. */
export default async function migrateStatusExecutor(
  options: MigrateStatusExecutorOptions,
  context: ExecutorContext,
  cli: PgshiftCli = pgshiftCli,
): Promise<{ success: boolean }> {
  return runSpecCommand(status, options, context, cli)
}
