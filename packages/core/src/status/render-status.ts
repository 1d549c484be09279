import { formatBytes, formatCount, formatDuration } from '../format/format-figures.js'
import type { MigrationStatus } from './migration-status.js'

/** `pgshift status` as text: phases, then a line per table, then totals. */
export function renderStatusText(status: MigrationStatus): string {
  if (!status.started) {
    return `migration ${status.migration}: not started (the destination holds no pgshift state for it)\n`
  }
  const out = [`migration ${status.migration}: ${status.currentPhase ?? 'starting'}`]
  for (const phase of status.phases) {
    const took = phase.durationMs === null ? '' : ` in ${formatDuration(phase.durationMs)}`
    const error = phase.error === null ? '' : `: ${phase.error.split('\n')[0]}`
    out.push(`  ${phase.phase.padEnd(17)} ${phase.status}${took}${error}`)
  }
  if (status.tables.length > 0) {
    out.push('', 'full copy:')
    for (const table of status.tables) {
      const of = table.estimatedBytes === null ? '' : ` of ~${formatBytes(table.estimatedBytes)}`
      const rate = table.bytesPerSecond === null ? '' : `, ${formatBytes(table.bytesPerSecond)}/s`
      const eta = table.etaSeconds === null || table.doneUnits === table.units ? '' : `, ETA ${formatDuration(table.etaSeconds * 1000)}`
      const retries = table.retries > 0 ? `, ${table.retries} retries` : ''
      const state = table.doneUnits === table.units ? 'done' : `${table.doneUnits}/${table.units} units`
      out.push(
        `  ${table.table}: ${state}, ${formatCount(table.rows)} rows, ${formatBytes(table.bytes)}${of}${rate}${eta}${retries}`,
      )
      if (table.lastError !== null && table.doneUnits !== table.units) out.push(`    last error: ${table.lastError}`)
    }
    const { totals } = status
    const of = totals.estimatedBytes === null ? '' : ` of ~${formatBytes(totals.estimatedBytes)}`
    const eta = totals.etaSeconds === null || totals.doneUnits === totals.units ? '' : `, ETA ${formatDuration(totals.etaSeconds * 1000)}`
    out.push(
      `  total: ${totals.doneUnits}/${totals.units} units, ${formatCount(totals.rows)} rows, ` +
        `${formatBytes(totals.bytes)}${of}${eta}${totals.retries > 0 ? `, ${totals.retries} retries` : ''}`,
    )
  }
  const incremental = status.incremental
  if (incremental !== null) {
    const lag =
      incremental.lagSeconds === null
        ? 'lag unknown'
        : `lag ${formatDuration(Math.round(incremental.lagSeconds * 1000))} / ${formatBytes(incremental.lagBytes ?? 0)}`
    const quiet =
      incremental.status === 'following' && incremental.reportedSecondsAgo > 30
        ? ` (no apply process has reported for ${formatDuration(incremental.reportedSecondsAgo * 1000)})`
        : ''
    out.push(
      '',
      `incremental: ${incremental.status}${incremental.stopRequested ? ' (stop requested)' : ''}${quiet}`,
      `  slot ${incremental.slot}, applied ${incremental.appliedLsn}` +
        `${incremental.sourceLsn === null ? '' : ` (source at ${incremental.sourceLsn})`}, ${lag}`,
      `  applied ${formatCount(incremental.changes)} changes in ${formatCount(incremental.transactions)} transactions`,
    )
    for (const table of incremental.tables) {
      out.push(
        `  ${table.tableId.replace(/^table:/, '')}: ${formatCount(table.inserts)} inserts, ${formatCount(table.updates)} updates, ` +
          `${formatCount(table.deletes)} deletes${table.truncates > 0 ? `, ${formatCount(table.truncates)} truncates` : ''}`,
      )
    }
    if (incremental.lastError !== null) out.push(`  last error: ${incremental.lastError}`)
  }
  return `${out.join('\n')}\n`
}

/** `pgshift status --format json`: the status as read, keys in a fixed order. */
export function renderStatusJson(status: MigrationStatus): string {
  return `${JSON.stringify(status, null, 2)}\n`
}
