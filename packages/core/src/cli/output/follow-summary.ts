import type { IncrementalEvent } from '../../incremental/index.js'
import { formatBytes, formatCount, formatDuration } from '../../format/format-figures.js'

/** Totals of the incremental phase for periodic progress lines. */
export interface FollowTotals {
  readonly transactions: number
  readonly changes: number
  readonly appliedLsn: string | null
  readonly lagSeconds: number | null
  readonly lagBytes: number | null
  /** Changes a second since the previous summary. */
  readonly changesPerSecond: number
}

/**
 * Folds the many incremental events (a batch every few milliseconds under load) into a
 * summary at most every `intervalMs`; the rare events (streaming, caught up, retries, DDL,
 * stopped) pass through at once.
 */
export class FollowSummary {
  readonly #intervalMs: number
  #transactions = 0
  #changes = 0
  #appliedLsn: string | null = null
  #lagSeconds: number | null = null
  #lagBytes: number | null = null
  #lastAt = Date.now()
  #lastChanges = 0

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs
  }

  /** Returns the summary when one is due after this event, else null. */
  observe(event: IncrementalEvent): FollowTotals | null {
    if (event.type === 'batch-applied') {
      this.#transactions += event.transactions
      this.#changes += event.changes
      this.#appliedLsn = event.endLsn
    } else if (event.type === 'lag') {
      this.#lagSeconds = event.lagSeconds
      this.#lagBytes = event.lagBytes
    } else {
      return null
    }
    const now = Date.now()
    if (now - this.#lastAt < this.#intervalMs) return null
    const rate = ((this.#changes - this.#lastChanges) * 1000) / Math.max(1, now - this.#lastAt)
    this.#lastAt = now
    this.#lastChanges = this.#changes
    return {
      transactions: this.#transactions,
      changes: this.#changes,
      appliedLsn: this.#appliedLsn,
      lagSeconds: this.#lagSeconds,
      lagBytes: this.#lagBytes,
      changesPerSecond: Math.round(rate),
    }
  }
}

/** One line for people: totals, rate and lag. */
export function formatFollowTotals(totals: FollowTotals): string {
  const lag =
    totals.lagSeconds === null
      ? 'lag unknown'
      : `lag ${formatDuration(Math.round(totals.lagSeconds * 1000))} / ${formatBytes(totals.lagBytes ?? 0)}`
  return (
    `  following: ${formatCount(totals.changes)} changes in ${formatCount(totals.transactions)} transactions ` +
    `(${formatCount(totals.changesPerSecond)}/s), applied ${totals.appliedLsn ?? '-'}, ${lag}`
  )
}

/** The rare incremental events as lines; null for those only summaries show. */
export function formatFollowEvent(event: IncrementalEvent): string | null {
  switch (event.type) {
    case 'streaming':
      return `  streaming slot ${event.slot} from ${event.startLsn} (pgoutput protocol ${event.protocolVersion})`
    case 'caught-up':
      return `  caught up (lag ${formatDuration(Math.round(event.lagSeconds * 1000))} / ${formatBytes(event.lagBytes)})`
    case 'retry':
      return `  retrying the ${event.side} in ${formatDuration(event.delayMs)} (attempt ${event.attempt}): ${event.error}`
    case 'ddl':
      return `  replayed DDL: ${event.statements.join('; ')}`
    case 'stopped':
      // a stop request comes from cutover or abort, which take over: resuming would be wrong advice
      return event.reason === 'stop-requested'
        ? '  stopped following: cutover or abort asked to, and takes over from here'
        : `  stopped following (${event.reason}); re-run apply to resume`
    default:
      return null
  }
}
