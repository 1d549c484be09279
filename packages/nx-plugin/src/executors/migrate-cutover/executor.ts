import type { ExecutorContext } from '@nx/devkit'
import { pgshiftCli } from '../../cli/pgshift-cli.js'
import type { PgshiftCli } from '../../cli/pgshift-cli.js'
import { runSpecCommand } from '../spec-command.js'
import type { SpecCommand } from '../spec-command.js'
import type { MigrateCutoverExecutorOptions } from './schema.js'

const cutover: SpecCommand<MigrateCutoverExecutorOptions> = {
  name: 'cutover',
  perRun: 'one',
  live: true,
  args: (options, [spec = '']) => [
    '--spec',
    spec,
    ...(options.format === undefined ? [] : ['--format', options.format]),
    ...(options.timeout === undefined ? [] : ['--timeout', String(options.timeout)]),
    ...(options.revokeWrites === undefined ? [] : ['--revoke-writes', options.revokeWrites]),
    ...(options.sequenceGap === undefined ? [] : ['--sequence-gap', String(options.sequenceGap)]),
  ],
}

/** `nx run <project>:migrate-cutover`: `pgshift cutover` for the project's one (or chosen) spec. */
export default async function migrateCutoverExecutor(
  options: MigrateCutoverExecutorOptions,
  context: ExecutorContext,
  cli: PgshiftCli = pgshiftCli,
): Promise<{ success: boolean }> {
  return runSpecCommand(cutover, options, context, cli)
}
