import { Command, Option } from 'commander'
import type { CliIo } from '../cli-io.js'
import { ExitCode } from '../exit-codes.js'
import type { CommandOutcome } from './command-outcome.js'

// Commands whose interface is fixed by the CLI contract but whose engine is not in this
// version yet. They parse their options (so scripts written against the contract fail only
// for the right reason) and then say plainly that the command is not available.

function specOption(): Option {
  return new Option('--spec <file>', 'the migration spec (YAML)').makeOptionMandatory()
}

function formatOption(choices: readonly string[]): Option {
  return new Option('--format <format>', 'output format').choices(choices).default(choices[0])
}

function definitions(): Command[] {
  return [
    new Command('cutover')
      .description('finish the migration: sequences, stop following, clean up')
      .addOption(specOption())
      .addOption(formatOption(['text', 'json']))
      .option('--timeout <duration>', 'how long to wait until caught up (e.g. 5m)')
      .option('--revoke-writes <role>', "revoke this role's write privileges on the destination"),
  ]
}

/** The contract's commands that this version does not implement yet. */
export function pendingCommands(io: CliIo, outcome: CommandOutcome, version: string): Command[] {
  return definitions().map((command) =>
    command.action(() => {
      io.stderr.write(
        `pgshift ${command.name()}: not available in pgshift ${version} yet. ` +
          'This version lints, plans, applies (schema and full copy), reports status and validates.\n',
      )
      outcome.exitCode = ExitCode.usage
    }),
  )
}
