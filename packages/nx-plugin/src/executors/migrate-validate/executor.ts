import type { ExecutorContext } from '@nx/devkit'
import { pgshiftCli } from '../../cli/pgshift-cli.js'
import type { PgshiftCli } from '../../cli/pgshift-cli.js'
import { runSpecCommand } from '../spec-command.js'
import type { SpecCommand } from '../spec-command.js'
import type { MigrateValidateExecutorOptions } from './schema.js'

const validate: SpecCommand<MigrateValidateExecutorOptions> = {
  name: 'validate',
  perRun: 'one',
  live: true,
  args: (options, [spec = '']) => [
    '--spec',
    spec,
    ...(options.format === undefined ? [] : ['--format', options.format]),
    ...(options.maxKeys === undefined ? [] : ['--max-keys', String(options.maxKeys)]),
    ...(options.mode === undefined ? [] : ['--mode', options.mode]),
    ...(options.sequences === false ? ['--no-sequences'] : []),
  ],
}

/** `nx run <project>:migrate-validate`: `pgshift validate`; fails on any data difference. */
export default async function migrateValidateExecutor(
  options: MigrateValidateExecutorOptions,
  context: ExecutorContext,
  cli: PgshiftCli = pgshiftCli,
): Promise<{ success: boolean }> {
  return runSpecCommand(validate, options, context, cli)
}
