import path from 'node:path'
import type { ExecutorContext } from '@nx/devkit'
import { pgshiftCli } from '../../cli/pgshift-cli.js'
import type { PgshiftCli } from '../../cli/pgshift-cli.js'
import { specStem } from '../../specs/project-specs.js'
import { runSpecCommand } from '../spec-command.js'
import type { SpecCommand } from '../spec-command.js'
import type { MigratePlanExecutorOptions } from './schema.js'

const plan: SpecCommand<MigratePlanExecutorOptions> = {
  name: 'plan',
  perRun: 'each',
  live: true,
  // One folder per spec below `out`, so that the plans of a project's specs never overwrite
  // each other and a spec's plan is always found at the same place.
  args: (options, [spec = '']) => [
    '--spec',
    spec,
    ...(options.out === undefined ? [] : ['--out', path.join(options.out, specStem(spec))]),
    ...(options.format === undefined ? [] : ['--format', options.format]),
  ],
}

/** `nx run <project>:migrate-plan`: `pgshift plan` for the chosen spec, or each spec in turn. */
export default async function migratePlanExecutor(
  options: MigratePlanExecutorOptions,
  context: ExecutorContext,
  cli: PgshiftCli = pgshiftCli,
): Promise<{ success: boolean }> {
  return runSpecCommand(plan, options, context, cli)
}
