import type { ExecutorContext } from '@nx/devkit'
import { pgshiftCli } from '../../cli/pgshift-cli.js'
import type { PgshiftCli } from '../../cli/pgshift-cli.js'
import { runSpecCommand } from '../spec-command.js'
import type { SpecCommand } from '../spec-command.js'
import type { MigrateApplyExecutorOptions } from './schema.js'

const apply: SpecCommand<MigrateApplyExecutorOptions> = {
  name: 'apply',
  perRun: 'one',
  live: true,
  args: (options, [spec = '']) => [
    '--spec',
    spec,
    ...(options.plan === undefined ? [] : ['--plan', options.plan]),
    ...(options.dryRun === true ? ['--dry-run'] : []),
    ...(options.yes === true ? ['--yes'] : []),
    ...(options.until === undefined ? [] : ['--until', options.until]),
    ...(options.ignoreWarnings === true ? ['--ignore-warnings'] : []),
    ...(options.logFormat === undefined ? [] : ['--log-format', options.logFormat]),
    ...(options.metricsPort === undefined ? [] : ['--metrics-port', String(options.metricsPort)]),
    ...(options.metricsHost === undefined ? [] : ['--metrics-host', options.metricsHost]),
  ],
}

/** `nx run <project>:migrate-apply`: `pgshift apply` for the project's one (or chosen) spec. */
export default async function migrateApplyExecutor(
  options: MigrateApplyExecutorOptions,
  context: ExecutorContext,
  cli: PgshiftCli = pgshiftCli,
): Promise<{ success: boolean }> {
  return runSpecCommand(apply, options, context, cli)
}
