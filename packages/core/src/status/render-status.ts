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
  return `${out.join('\n')}\n`
}

/** `pgshift status --format json`: the status as read, keys in a fixed order. */
export function renderStatusJson(status: MigrationStatus): string {
  return `${JSON.stringify(status, null, 2)}\n`
}
