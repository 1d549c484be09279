import { setTimeout as sleep } from 'node:timers/promises'
import { Command, Option } from 'commander'
import { openDatabase } from '../../pg/index.js'
import { readMigrationStatus, renderStatusJson, renderStatusText } from '../../status/index.js'
import type { CliIo } from '../cli-io.js'
import { ExitCode } from '../exit-codes.js'
import type { CommandOutcome } from './command-outcome.js'
import { loadCommandSpec } from './load-command-spec.js'

interface StatusFlags {
  readonly spec: string
  readonly format: 'text' | 'json'
  readonly watch?: string | true
}

/** `pgshift status --spec F`: phases and per-table progress, read from the destination. */
export function statusCommand(io: CliIo, outcome: CommandOutcome): Command {
  return new Command('status')
    .description('show phase, per-table progress (rows, bytes, rate, ETA), applied LSN and lag, retries and errors, read from the destination')
    .addOption(new Option('--spec <file>', 'the migration spec (YAML)').makeOptionMandatory())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--watch [seconds]', 'print again every few seconds (2 by default) until interrupted')
    .addHelpText(
      'after',
      '\nReads only the destination\'s pgshift schema, so it works from any machine while\n' +
        '`pgshift apply` runs elsewhere. Running units report their progress every 2 s.\n' +
        'Exit status: 0 shown (also when the migration has not started), 2 usage or spec\n' +
        'error, 3 the destination could not be read.',
    )
    .action(async (flags: StatusFlags) => {
      const spec = await loadCommandSpec('status', flags.spec, io)
      if (spec === undefined) {
        outcome.exitCode = ExitCode.usage
        return
      }
      const seconds = flags.watch === undefined ? null : flags.watch === true ? 2 : Number(flags.watch)
      if (seconds !== null && !(seconds > 0)) {
        io.stderr.write(`pgshift status: --watch takes a number of seconds, not ${String(flags.watch)}\n`)
        outcome.exitCode = ExitCode.usage
        return
      }
      let stopped = false
      const stop = () => (stopped = true)
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      try {
        const destination = await openDatabase(spec.destination.url, { role: 'destination', maxConnections: 1 })
        try {
          for (;;) {
            const status = await readMigrationStatus(destination, spec.metadata.name)
            const tty = (io.stdout as { isTTY?: boolean }).isTTY === true
            if (seconds !== null && tty && flags.format === 'text') io.stdout.write('\x1b[2J\x1b[H')
            io.stdout.write(flags.format === 'json' ? renderStatusJson(status) : renderStatusText(status))
            if (seconds === null || stopped) break
            await sleep(seconds * 1000)
            if (stopped) break
          }
        } finally {
          await destination.close()
        }
        outcome.exitCode = ExitCode.ok
      } catch (error) {
        io.stderr.write(`pgshift status: ${error instanceof Error ? error.message : String(error)}\n`)
        outcome.exitCode = ExitCode.failed
      } finally {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
      }
    })
}
