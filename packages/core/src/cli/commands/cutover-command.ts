import { Command, InvalidArgumentError, Option } from 'commander'
import { ApplyRunningError, NotCaughtUpError, runAbort, runCutover } from '../../cutover/index.js'
import type { CutoverEvent } from '../../cutover/index.js'
import { parseDuration } from '../../spec/index.js'
import type { MigrationSpec } from '../../spec/index.js'
import type { CliIo } from '../cli-io.js'
import { ExitCode } from '../exit-codes.js'
import type { CommandOutcome } from './command-outcome.js'
import { loadCommandSpec } from './load-command-spec.js'

interface CutoverFlags {
  readonly spec: string
  readonly format: 'text' | 'json'
  readonly timeout: number
  readonly revokeWrites?: string
  readonly sequenceGap: bigint
}

function duration(value: string): number {
  // a bare number is seconds, as `timeout` accepts it from Nx
  const parsed = /^\d+$/.test(value) ? Number(value) * 1000 : parseDuration(value)
  if (parsed === undefined) throw new InvalidArgumentError('expected a duration such as 90s, 5m or 1h')
  return parsed
}

function gap(value: string): bigint {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of at least 0')
  return BigInt(value)
}

function printer(io: CliIo, format: 'text' | 'json', command: string): (event: CutoverEvent) => void {
  let lastWait = 0
  return (event) => {
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), command, ...event })}\n`)
      return
    }
    if (event.type === 'waiting') {
      if (Date.now() - lastWait < 5000) return
      lastWait = Date.now()
      io.stdout.write(`  waiting: applied ${event.appliedLsn}, source was at ${event.targetLsn} (${event.lagBytes} bytes behind)\n`)
    } else if (event.type === 'step-done') {
      io.stdout.write(`${event.step}: done${Object.keys(event.detail).length > 0 ? ` ${JSON.stringify(event.detail)}` : ''}\n`)
    } else {
      io.stdout.write(`${event.step}: skipped (${event.reason})\n`)
    }
  }
}

async function run(
  io: CliIo,
  outcome: CommandOutcome,
  command: 'cutover' | 'abort',
  file: string,
  work: (spec: MigrationSpec) => Promise<string>,
): Promise<void> {
  const spec = await loadCommandSpec(command, file, io)
  if (spec === undefined) {
    outcome.exitCode = ExitCode.usage
    return
  }
  try {
    io.stdout.write(`${await work(spec)}\n`)
    outcome.exitCode = ExitCode.ok
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    io.stderr.write(`pgshift ${command}: ${spec.source.url.redact(spec.destination.url.redact(message))}\n`)
    if (io.env.PGSHIFT_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`)
    outcome.exitCode =
      error instanceof NotCaughtUpError || error instanceof ApplyRunningError ? ExitCode.problems : ExitCode.failed
  }
}

/** `pgshift cutover --spec F`: finish the migration. */
export function cutoverCommand(io: CliIo, outcome: CommandOutcome): Command {
  return new Command('cutover')
    .description('finish the migration: catch up, sequences, stop following, release the source')
    .addOption(new Option('--spec <file>', 'the migration spec (YAML)').makeOptionMandatory())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--timeout <duration>', 'how long to wait until caught up (e.g. 90s, 5m; a bare number is seconds)', duration, 300_000)
    .option('--revoke-writes <role>', "revoke this role's INSERT/UPDATE/DELETE/TRUNCATE on the migrated destination tables")
    .option('--sequence-gap <n>', "set each destination sequence this far past the source's value", gap, 0n)
    .addHelpText(
      'after',
      '\nStop the applications writing to the source first. Then cutover:\n' +
        '  1. reads the source\'s WAL position and waits (up to --timeout) until the destination has\n' +
        '     applied everything before it: a running `pgshift apply` is then asked to stop at its\n' +
        '     next transaction boundary; with none running, cutover applies the rest itself;\n' +
        "  2. sets the destination's sequences to the source's values (+ --sequence-gap);\n" +
        '  3. drops the replication slot, the publication, the DDL-capture event trigger and the\n' +
        '     heartbeat on the source, restores the replica identities the migration changed, and\n' +
        "     drops the destination's replication origin;\n" +
        "  4. with --revoke-writes ROLE, revokes that role's writes on the migrated tables, so that\n" +
        '     an accidental restart of the old writer cannot change the destination.\n' +
        'Each step is recorded in the destination\'s pgshift schema; re-running skips what is done,\n' +
        'so a second cutover changes nothing. Without incremental in the spec, only steps 2 and 4 run.\n' +
        'Exit status: 0 done, 1 not caught up within --timeout or an apply still running (nothing\n' +
        'released: re-run), 2 usage or spec error, 3 a database failed (re-run to resume).',
    )
    .action((flags: CutoverFlags) =>
      run(io, outcome, 'cutover', flags.spec, async (spec) => {
        await runCutover({
          spec,
          timeoutMs: flags.timeout,
          revokeWrites: flags.revokeWrites,
          sequenceGap: flags.sequenceGap,
          onEvent: printer(io, flags.format, 'cutover'),
        })
        return flags.format === 'json'
          ? JSON.stringify({ time: new Date().toISOString(), type: 'cut-over', migration: spec.metadata.name })
          : `migration ${spec.metadata.name} cut over`
      }),
    )
}

/** `pgshift abort --spec F`: release the replication without cutting over. */
export function abortCommand(io: CliIo, outcome: CommandOutcome): Command {
  return new Command('abort')
    .description('give up incremental migration: stop following and release the source, data left as is')
    .addOption(new Option('--spec <file>', 'the migration spec (YAML)').makeOptionMandatory())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--timeout <duration>', 'how long a running apply gets to stop', duration, 60_000)
    .addHelpText(
      'after',
      '\nAsks a running `pgshift apply` to stop, then drops the replication slot, publication,\n' +
        'DDL capture and heartbeat on the source, restores replica identities and drops the\n' +
        "destination's replication origin. The destination's tables and rows stay as they are.\n" +
        'Re-running is safe. Exit status: 0 done (or nothing to abort), 1 an apply did not stop,\n' +
        '2 usage or spec error, 3 a database failed.',
    )
    .action((flags: { spec: string; format: 'text' | 'json'; timeout: number }) =>
      run(io, outcome, 'abort', flags.spec, async (spec) => {
        const aborted = await runAbort({
          spec,
          timeoutMs: flags.timeout,
          onEvent: printer(io, flags.format, 'abort'),
        })
        const text = aborted
          ? `migration ${spec.metadata.name} aborted: the source is released`
          : `migration ${spec.metadata.name} has no incremental set-up: nothing to abort`
        return flags.format === 'json'
          ? JSON.stringify({ time: new Date().toISOString(), type: aborted ? 'aborted' : 'nothing-to-abort', migration: spec.metadata.name })
          : text
      }),
    )
}
