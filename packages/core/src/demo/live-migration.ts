import { NotAvailableError, PlanDriftError, PrecheckBlockedError, runApply } from '../apply/index.js'
import type { ApplyEvent } from '../apply/index.js'
import type { CliIo } from '../cli/cli-io.js'
import { loadCommandSpec } from '../cli/commands/load-command-spec.js'
import { ExitCode } from '../cli/exit-codes.js'
import { jsonReporter, textReporter } from '../cli/output/apply-reporter.js'
import { readPlanFile } from '../plan/index.js'
import type { DemoWriter, WriterTotals } from './demo-writer.js'

/** What the live part of the demo needs. */
export interface LiveMigrationOptions {
  readonly io: CliIo
  readonly specFile: string
  readonly planFile: string
  readonly logFormat: 'text' | 'json'
  /** Writing to the source since before apply started; stopped before cutover. */
  readonly writer: DemoWriter
  /** How long apply keeps following the writer once it has caught up. */
  readonly followMs: number
  readonly cutoverTimeout: string
  readonly runCli: (argv: readonly string[], io: CliIo) => Promise<number>
  /** Prints a demo line (the command being run, what happens next). */
  readonly say: (line: string) => void
  /** How a command line is shown (paths relative to the demo folder). */
  readonly show: (argv: readonly string[]) => string
}

/** Lag as apply last measured it. */
export interface LagReading {
  readonly lagSeconds: number
  readonly lagBytes: number
}

/** What apply, the writer and cutover did, for the final summary. */
export interface LiveMigrationResult {
  readonly exitCode: number
  /** The step that failed (apply or cutover), or null. */
  readonly failedStep: string | null
  readonly rowsCopied: number
  readonly copyMs: number | null
  /** From apply's start until it first reported caught up. */
  readonly catchUpMs: number | null
  readonly changesApplied: number
  readonly transactionsApplied: number
  readonly lagAtCutover: LagReading | null
  readonly writer: WriterTotals | null
  readonly cutoverMs: number | null
}

/**
 * apply (schema, full copy, then following changes) under the writer, as `pgshift apply` runs it
 * and prints it; once apply reports caught up it follows the writer a while longer, the writer
 * stops (the applications are switched off), and `pgshift cutover` runs from the same process
 * while apply still follows — exactly what an operator does from a second terminal: cutover
 * waits until the destination has everything, asks apply to stop, and releases the source.
 */
export async function runLiveMigration(options: LiveMigrationOptions): Promise<LiveMigrationResult> {
  const { io, say, writer } = options
  const spec = await loadCommandSpec('apply', options.specFile, io)
  if (spec === undefined) return failed('apply', ExitCode.usage)
  const plan = await readPlanFile(options.planFile)

  const reporter = options.logFormat === 'json' ? jsonReporter(io.stdout) : textReporter(io.stdout)
  let rowsCopied = 0
  let copyMs: number | null = null
  let catchUpMs: number | null = null
  let changesApplied = 0
  let transactionsApplied = 0
  let lastLag: LagReading | null = null
  let onCaughtUp = () => {}
  const caughtUp = new Promise<void>((resolve) => (onCaughtUp = resolve))
  const startedAt = performance.now()
  const onEvent = (event: ApplyEvent) => {
    reporter.onEvent(event)
    if (event.type === 'step-done' && event.step === 'full') {
      rowsCopied = event.detail.rows ?? 0
      copyMs = event.durationMs
    }
    if (event.type !== 'incremental') return
    const change = event.event
    if (change.type === 'batch-applied') {
      changesApplied += change.changes
      transactionsApplied += change.transactions
    } else if (change.type === 'lag') {
      lastLag = { lagSeconds: change.lagSeconds, lagBytes: change.lagBytes }
    } else if (change.type === 'caught-up') {
      catchUpMs ??= performance.now() - startedAt
      onCaughtUp()
    }
  }

  say(
    options.show([
      'apply', '--spec', options.specFile, '--plan', options.planFile, '--yes', '--ignore-warnings', '--log-format', options.logFormat,
    ]),
  )
  // a safety net only: cutover is what stops this apply; Ctrl-C is the clusters' exit hook's
  const stop = new AbortController()
  const applying = runApply({ spec, plan, until: 'forever', ignoreWarnings: true, signal: stop.signal, onEvent }).then(
    () => null,
    (error: unknown) => error,
  )
  let writerTotals: WriterTotals | null = null
  let lagAtCutover: LagReading | null = null
  let cutoverMs: number | null = null
  const result = (exitCode: number, failedStep: string | null): LiveMigrationResult => ({
    exitCode,
    failedStep,
    rowsCopied,
    copyMs,
    catchUpMs,
    changesApplied,
    transactionsApplied,
    lagAtCutover,
    writer: writerTotals,
    cutoverMs,
  })
  try {
    // apply ends early only by failing: it follows until cutover asks it to stop
    const ended = await Promise.race([applying.then((error) => ({ error })), caughtUp.then(() => null)])
    if (ended !== null) return applyFailed(ended.error)
    say(`   caught up with the source while it is being written to; following it ${options.followMs / 1000} s more`)
    const early = await Promise.race([
      applying.then((error) => ({ error })),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), options.followMs)),
    ])
    if (early !== null) return applyFailed(early.error)

    writerTotals = await writer.stop()
    say(
      `   writer stopped (the applications are switched over): ${writerTotals.transactions.toLocaleString('en-US')} transactions, ` +
        `${writerTotals.inserts.toLocaleString('en-US')} rows inserted, ${writerTotals.updates.toLocaleString('en-US')} updated, ` +
        `${writerTotals.deletes.toLocaleString('en-US')} deleted on the source`,
    )
    const cutoverArgv = ['cutover', '--spec', options.specFile, '--timeout', options.cutoverTimeout, '--format', options.logFormat]
    say(`${options.show(cutoverArgv)}   (while apply still follows)`)
    lagAtCutover = lastLag
    const cutoverStarted = performance.now()
    // apply ends when cutover, caught up, asks it to; it says so as `pgshift apply` would
    const applied = applying.then((error) => {
      if (error !== null || stop.signal.aborted) return error
      reporter.close()
      io.stdout.write(
        options.logFormat === 'json'
          ? `${JSON.stringify({ time: new Date().toISOString(), type: 'applied', migration: spec.metadata.name })}\n`
          : `migration ${spec.metadata.name} applied\n`,
      )
      return null
    })
    const cutoverCode = await options.runCli(['node', 'pgshift', ...cutoverArgv], io)
    cutoverMs = performance.now() - cutoverStarted
    if (cutoverCode !== 0) return result(cutoverCode, 'cutover')
    // cutover took apply's lock, so apply has ended by now
    const error = await applied
    if (error !== null) return applyFailed(error)
    return result(ExitCode.ok, null)
  } finally {
    stop.abort()
    await applying
    reporter.close()
  }

  function applyFailed(error: unknown): LiveMigrationResult {
    reporter.close()
    io.stderr.write(`pgshift apply: ${error instanceof Error ? error.message : String(error)}\n`)
    if (error instanceof PrecheckBlockedError || error instanceof PlanDriftError) return result(ExitCode.problems, 'apply')
    if (error instanceof NotAvailableError) return result(ExitCode.usage, 'apply')
    return result(ExitCode.failed, 'apply')
  }
}

function failed(step: string, exitCode: number): LiveMigrationResult {
  return {
    exitCode,
    failedStep: step,
    rowsCopied: 0,
    copyMs: null,
    catchUpMs: null,
    changesApplied: 0,
    transactionsApplied: 0,
    lagAtCutover: null,
    writer: null,
    cutoverMs: null,
  }
}
