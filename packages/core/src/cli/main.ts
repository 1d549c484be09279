import { Command, CommanderError } from 'commander'
import { processIo } from './cli-io.js'
import type { CliIo } from './cli-io.js'
import type { CommandOutcome } from './commands/command-outcome.js'
import { applyCommand } from './commands/apply-command.js'
import { demoCommand } from './commands/demo-command.js'
import { diffCommand } from './commands/diff-command.js'
import { lintCommand } from './commands/lint-command.js'
import { planCommand } from './commands/plan-command.js'
import { statusCommand } from './commands/status-command.js'
import { abortCommand, cutoverCommand } from './commands/cutover-command.js'
import { validateCommand } from './commands/validate-command.js'
import { ExitCode } from './exit-codes.js'
import { packageVersion } from './package-version.js'

/** Builds the `pgshift` program; `outcome` receives the exit code of the command that ran. */
export function createProgram(io: CliIo, outcome: CommandOutcome): Command {
  const version = packageVersion()
  const program = new Command('pgshift')
    .description('migration-as-code for PostgreSQL to PostgreSQL')
    .version(version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
  program.addCommand(lintCommand(io, outcome))
  program.addCommand(diffCommand(io, outcome))
  program.addCommand(planCommand(io, outcome))
  program.addCommand(applyCommand(io, outcome))
  program.addCommand(statusCommand(io, outcome))
  program.addCommand(demoCommand(io, outcome, (argv, stepIo) => main(argv, stepIo)))
  program.addCommand(validateCommand(io, outcome))
  program.addCommand(cutoverCommand(io, outcome))
  program.addCommand(abortCommand(io, outcome))
  // Sub-commands inherit output and exit handling so usage errors come back as exit code 2.
  for (const command of program.commands) {
    command.configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    command.exitOverride()
    command.showHelpAfterError('(run with --help for usage)')
  }
  return program
}

/** Runs the CLI with `argv` (as `process.argv`) and resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const outcome: CommandOutcome = { exitCode: ExitCode.ok }
  const program = createProgram(io, outcome)
  if (argv.length <= 2) {
    program.outputHelp()
    return ExitCode.usage
  }
  try {
    await program.parseAsync([...argv])
  } catch (error) {
    if (error instanceof CommanderError) {
      const informational = ['commander.helpDisplayed', 'commander.version', 'commander.help']
      return informational.includes(error.code) ? ExitCode.ok : ExitCode.usage
    }
    throw error
  }
  return outcome.exitCode
}
