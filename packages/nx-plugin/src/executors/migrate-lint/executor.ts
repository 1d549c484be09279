import type { ExecutorContext } from '@nx/devkit'
import { pgshiftCli } from '../../cli/pgshift-cli.js'
import type { PgshiftCli } from '../../cli/pgshift-cli.js'
import { runSpecCommand } from '../spec-command.js'
import type { SpecCommand } from '../spec-command.js'
import type { MigrateLintExecutorOptions } from './schema.js'

const lint: SpecCommand<MigrateLintExecutorOptions> = {
  name: 'lint',
  perRun: 'together',
  live: false,
  args: (options, specs) => [
    ...specs,
    ...(options.format === undefined ? [] : ['--format', options.format]),
    // On unless switched off: the target is cached, so its result must not depend on secrets
    // being present in the environment.
    ...(options.allowMissingEnv === false ? [] : ['--allow-missing-env']),
  ],
}

/** `nx run <project>:migrate-lint`: `pgshift lint` over the project's specs (or the chosen one). */
export default async function migrateLintExecutor(
  options: MigrateLintExecutorOptions,
  context: ExecutorContext,
  cli: PgshiftCli = pgshiftCli,
): Promise<{ success: boolean }> {
  return runSpecCommand(lint, options, context, cli)
}
