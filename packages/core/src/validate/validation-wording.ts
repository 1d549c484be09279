import { quoteQualifiedName } from '@pgshift/schema-diff'
import { formatCount } from '../format/format-figures.js'
import type { ReportSummary } from './summarize-report.js'
import type { MappedColumn, RowDifference, TableValidation, ValidationReport } from './validation-report.js'

// How the text and markdown reports word things, so both say the same.

/** `public.actor`, or `public.orders → sales_eu.orders_archive` when the table is renamed. */
export function tableLabel(table: TableValidation): string {
  const source = quoteQualifiedName(table.source.schema, table.source.name)
  const destination = quoteQualifiedName(table.destination.schema, table.destination.name)
  return source === destination ? source : `${source} → ${destination}`
}

/** `id=42`, `order_id=7, line=2`. */
export function keyLabel(difference: RowDifference): string {
  return Object.entries(difference.key)
    .map(([column, value]) => `${column}=${value}`)
    .join(', ')
}

/** What a difference means for the destination. */
export function differenceLabel(difference: RowDifference): string {
  switch (difference.kind) {
    case 'missing':
      return 'missing on destination'
    case 'extra':
      return 'extra on destination'
    case 'changed':
      return 'changed'
  }
}

/** `name`, or `amount → total_amount` for a renamed column. */
export function columnLabel(column: MappedColumn): string {
  return column.source === column.destination ? column.source : `${column.source} → ${column.destination}`
}

/** `12,345`; `-` when unknown. */
export function countLabel(count: number | null): string {
  return count === null ? '-' : formatCount(count)
}

/** One sentence: what differs, or that nothing does. */
export function verdict(report: ValidationReport, summary: ReportSummary): string {
  const parts: string[] = []
  if (summary.tablesDifferent > 0) {
    const verb = summary.tablesDifferent === 1 ? 'differs' : 'differ'
    parts.push(`${countLabel(summary.tablesDifferent)} of ${plural(summary.tables, 'table')} ${verb}`)
  }
  if (summary.sequencesBehind > 0) {
    parts.push(`${plural(summary.sequencesBehind, 'sequence')} behind or missing on the destination`)
  }
  if (parts.length > 0) return parts.join('; ')
  const sequences = summary.sequences === null ? '' : ` and ${plural(summary.sequences, 'sequence')}`
  return `${plural(summary.tables, 'table')}${sequences} equal`
}

/** How the data was compared: `row counts and checksums (column-hash)`. */
export function methodLabel(report: ValidationReport): string {
  return report.mode === 'count' ? 'row counts' : `row counts and checksums (${report.rowHash})`
}

/** `3 rows differ`, or `more than 10 rows differ, the first 10 listed`. */
export function differingRowsLabel(table: TableValidation): string {
  const count = table.differences.length
  if (table.moreDifferences) return `more than ${countLabel(count)} rows differ, the first ${countLabel(count)} listed`
  return `${countLabel(count)} ${count === 1 ? 'row differs' : 'rows differ'}`
}

/** `3 tables`, `1 sequence`. */
export function plural(count: number, noun: string): string {
  return `${countLabel(count)} ${noun}${count === 1 ? '' : 's'}`
}
