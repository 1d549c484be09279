import type { ExecutorContext } from '@nx/devkit'
import { consoleIo } from '../cli/console-io.js'
import { describeExitCode } from '../cli/exit-code-meaning.js'
import type { PgshiftCli } from '../cli/pgshift-cli.js'
import { chooseSpecs } from '../specs/project-specs.js'
import type { SpecsPerRun } from '../specs/project-specs.js'
import { cachedTargetRefusal } from './cached-target-guard.js'

/** Options every spec executor shares. */
export interface SpecOptions {
  readonly spec?: string
  readonly migrationsDir?: string
}

/** One `pgshift` command as an executor sees it. */
export interface SpecCommand<Options extends SpecOptions> {
  /** The CLI command: `apply`. */
  readonly name: string
  readonly perRun: SpecsPerRun
  /** Reads live databases, so the target must never be cached. */
  readonly live: boolean
  /** The command's arguments after its name, for these spec files. */
  args(options: Options, specs: readonly string[]): string[]
}

/**
 * Runs a pgshift command for an Nx target: the CLI does all the work, the executor only
 * chooses the spec files and turns options into flags. Every failure names the CLI's own exit
 * code, which Nx would otherwise flatten to 1.
 */
export async function runSpecCommand<Options extends SpecOptions>(
  command: SpecCommand<Options>,
  options: Options,
  context: ExecutorContext,
  cli: PgshiftCli,
): Promise<{ success: boolean }> {
  const commandName = `pgshift ${command.name}`
  if (command.live) {
    const refusal = cachedTargetRefusal(context)
    if (refusal !== undefined) {
      console.error(refusal)
      return { success: false }
    }
  }
  const choice = await chooseSpecs(
    { spec: options.spec, migrationsDir: options.migrationsDir, perRun: command.perRun, command: commandName },
    context,
  )
  if (!choice.ok) {
    console.error(choice.message)
    return { success: false }
  }
  const runs = command.perRun === 'together' ? [choice.files] : choice.files.map((file) => [file])
  let success = true
  for (const specs of runs) {
    const args = [command.name, ...command.args(options, specs)]
    if (runs.length > 1) console.log(`> pgshift ${args.join(' ')}`)
    const terminal = consoleIo(context.root)
    let exitCode: number
    try {
      exitCode = await cli(['node', 'pgshift', ...args], terminal.io)
    } finally {
      terminal.flush()
    }
    if (exitCode !== 0) {
      console.error(`${commandName} ${specs.join(' ')}: exit code ${describeExitCode(exitCode)}`)
      success = false
    }
  }
  return { success }
}
