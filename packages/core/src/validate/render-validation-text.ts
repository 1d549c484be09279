import { formatDuration } from '../format/format-figures.js'
import { summarizeReport } from './summarize-report.js'
import type { TableValidation, ValidationReport } from './validation-report.js'
import {
  columnLabel,
  countLabel,
  differenceLabel,
  differingRowsLabel,
  keyLabel,
  methodLabel,
  tableLabel,
  verdict,
} from './validation-wording.js'

/**
 * The report for a terminal: a verdict line, a table of every table's row counts and status,
 * then each differing table's rows (key, what differs, which columns) and the sequences.
 */
export function renderValidationText(report: ValidationReport): string {
  const summary = summarizeReport(report)
  const lines = [
    `pgshift validate ${report.migration}: ${report.status} — ${verdict(report, summary)}`,
    `compared ${methodLabel(report)} in ${formatDuration(report.durationMs)}`,
    '',
    ...columns([
      ['TABLE', 'SOURCE ROWS', 'DESTINATION ROWS', 'STATUS'],
      ...report.tables.map((table) => [
        tableLabel(table),
        countLabel(table.sourceRows),
        countLabel(table.destinationRows),
        table.status,
      ]),
    ]),
  ]
  for (const table of report.tables.filter((entry) => entry.status !== 'equal')) {
    lines.push('', ...tableDetails(table))
  }
  if (report.sequences !== null && report.sequences.length > 0) {
    lines.push(
      '',
      ...columns([
        ['SEQUENCE', 'SOURCE', 'DESTINATION', 'STATUS'],
        ...report.sequences.map((sequence) => [
          sequence.label,
          sequence.sourceValue,
          sequence.destinationValue ?? '-',
          sequence.status,
        ]),
      ]),
    )
  }
  return `${lines.join('\n')}\n`
}

function tableDetails(table: TableValidation): string[] {
  const heading = `${tableLabel(table)}:`
  if (table.differences.length === 0) return [`${heading} ${table.note ?? table.status}`]
  const ranges = table.ranges > 1 ? ` (${table.differingRanges} of ${table.ranges} key ranges differ)` : ''
  const rows = columns(
    table.differences.map((difference) => [
      `  ${differenceLabel(difference)}`,
      keyLabel(difference),
      difference.columns.length === 0 ? '' : `columns: ${difference.columns.map(columnLabel).join(', ')}`,
    ]),
  )
  return [`${heading} ${differingRowsLabel(table)}${ranges}`, ...rows]
}

// left-aligned columns, two spaces apart, trailing blanks trimmed
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)))
  return rows.map((row) => row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd())
}
