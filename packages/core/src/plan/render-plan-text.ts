import { styleText } from 'node:util'
import { formatBytes, formatCount } from '../format/format-figures.js'
import type { Plan } from './plan.js'

type Style = Parameters<typeof styleText>[0]

/**
 * The plan for a terminal: summary, hazards, precheck findings, every statement and every
 * table's copy, coloured when `color` is true (the CLI decides from the TTY and NO_COLOR).
 */
export function renderPlanText(plan: Plan, options: { readonly color: boolean }): string {
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text) : text)
  const out: string[] = []
  const { summary } = plan
  out.push(
    paint('bold', `pgshift plan: ${plan.migration.name}`),
    `  source       ${plan.source.url}`,
    `  destination  ${plan.destination.url}`,
    `  types        ${plan.migration.types.join(', ')}   conflicts ${plan.migration.conflicts}`,
    `  fingerprint  ${plan.fingerprint.digest.slice(0, 16)}`,
    '',
    `${summary.tables} tables, ~${summary.estimatedRows === null ? '?' : formatCount(summary.estimatedRows)} rows, ` +
      `${formatBytes(summary.estimatedBytes)}; ${summary.preDataStatements} pre-data + ` +
      `${summary.postDataStatements} post-data statements`,
  )
  const errors = paint(summary.errors > 0 ? 'red' : 'green', `${summary.errors} errors`)
  const warnings = paint(summary.warnings > 0 ? 'yellow' : 'green', `${summary.warnings} warnings`)
  out.push(`prechecks: ${errors}, ${warnings}`)
  for (const finding of plan.prechecks) {
    const label = paint(finding.severity === 'error' ? 'red' : 'yellow', `${finding.severity} ${finding.code}`)
    out.push(`  ${label}: ${finding.message}`, `    fix: ${finding.hint}`)
  }
  for (const note of [...plan.fidelity, ...plan.notes]) out.push(`  ${paint('cyan', `note ${note.code}`)}: ${note.message}`)
  for (const [title, operations] of [['pre-data', plan.schema.preData], ['post-data', plan.schema.postData]] as const) {
    if (operations.length === 0) continue
    out.push('', paint('bold', `schema ${title}:`))
    for (const operation of operations) {
      for (const hazard of operation.hazards) out.push(paint('magenta', `  -- ${hazard.code}: ${hazard.message}`))
      for (const sql of operation.sql) out.push(`  ${sql.replace(/\n/g, '\n  ')};`)
    }
  }
  if (plan.copy !== null && plan.copy.tables.length > 0) {
    out.push('', paint('bold', `full copy (${plan.copy.parallelTables} in parallel):`))
    for (const table of plan.copy.tables) {
      const rows = table.estimatedRows === null ? '?' : formatCount(table.estimatedRows)
      const filter = table.where === null ? '' : ` where ${table.where}`
      const chunks = table.chunks > 1 ? `, ${table.chunks} ${table.split === 'pages' ? 'page' : 'key'} ranges` : ''
      out.push(`  ${table.source} -> ${table.destination}${filter}: ~${rows} rows, ${formatBytes(table.estimatedBytes)}${chunks}`)
    }
  }
  if (plan.incremental !== null) {
    const { incremental } = plan
    out.push(
      '',
      paint('bold', 'incremental:'),
      `  publication ${incremental.publication} and logical replication slot ${incremental.slot} on the source, before the copy`,
      `  DDL capture: ${incremental.ddlCapture ? 'on (event trigger on the source)' : 'off'}`,
    )
    if (incremental.replicaIdentityFull.length > 0) {
      out.push(`  replica identity set to FULL (restored at cutover): ${incremental.replicaIdentityFull.join(', ')}`)
    }
  }
  out.push('', paint('bold', 'cutover:'), ...plan.cutover.map((step, index) => `  ${index + 1}. ${step}`))
  return `${out.join('\n')}\n`
}
