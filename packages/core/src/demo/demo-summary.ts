import { formatBytes, formatCount, formatDuration } from '../format/format-figures.js'
import type { LiveMigrationResult } from './live-migration.js'

/** The figures of a finished demo. */
export interface DemoSummary {
  readonly live: LiveMigrationResult
  readonly validateMs: number
  readonly totalMs: number
}

/** The closing lines: what moved, how far behind the destination was, how long each part took. */
export function formatDemoSummary({ live, validateMs, totalMs }: DemoSummary): string[] {
  const lag = live.lagAtCutover
  const writer = live.writer
  const ms = (value: number | null) => (value === null ? '-' : formatDuration(Math.round(value)))
  return [
    'summary',
    `  rows copied              ${formatCount(live.rowsCopied)} in ${ms(live.copyMs)}`,
    writer === null
      ? '  source writes            -'
      : `  source writes            ${formatCount(writer.inserts + writer.updates + writer.deletes)} rows in ` +
        `${formatCount(writer.transactions)} transactions over ${ms(writer.durationMs)} (during the copy and after)`,
    `  changes applied          ${formatCount(live.changesApplied)} in ${formatCount(live.transactionsApplied)} transactions while following ` +
      '(the filter and tmp_* exclusion leave some out)',
    `  caught up after          ${ms(live.catchUpMs)} of apply`,
    `  lag at cutover           ${lag === null ? 'unknown' : `${formatDuration(Math.round(lag.lagSeconds * 1000))} / ${formatBytes(lag.lagBytes)}`}`,
    `  cutover                  ${ms(live.cutoverMs)}`,
    `  validate                 ${ms(validateMs)}`,
    `  total                    ${ms(totalMs)}`,
  ]
}

/** The same figures as one JSON line, for CI logs and tests. */
export function demoSummaryJson({ live, validateMs, totalMs }: DemoSummary): string {
  return JSON.stringify({
    time: new Date().toISOString(),
    type: 'demo-summary',
    rowsCopied: live.rowsCopied,
    copyMs: round(live.copyMs),
    sourceWrites: live.writer,
    changesApplied: live.changesApplied,
    transactionsApplied: live.transactionsApplied,
    catchUpMs: round(live.catchUpMs),
    lagAtCutover: live.lagAtCutover,
    cutoverMs: round(live.cutoverMs),
    validateMs: round(validateMs),
    totalMs: round(totalMs),
  })
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value)
}
