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
 * The report as GitHub-flavoured markdown for a pull request comment: the verdict first, one
 * table row per table, then each differing table's rows and the sequences.
 */
export function renderValidationMarkdown(report: ValidationReport): string {
  const summary = summarizeReport(report)
  const status = report.status === 'equal' ? 'equal' : '**different**'
  const lines = [
    `### pgshift validate \`${report.migration}\`: ${status}`,
    '',
    `${verdict(report, summary)}. Compared ${methodLabel(report)} in ${formatDuration(report.durationMs)}.`,
    '',
    '| Table | Source rows | Destination rows | Status |',
    '| --- | ---: | ---: | --- |',
    ...report.tables.map(
      (table) =>
        `| ${code(tableLabel(table))} | ${countLabel(table.sourceRows)} | ${countLabel(table.destinationRows)} | ${
          table.status === 'equal' ? 'equal' : `**${table.status}**`
        } |`,
    ),
  ]
  const differing = report.tables.filter((table) => table.status !== 'equal')
  if (differing.length > 0) lines.push('', '#### Differences')
  for (const table of differing) lines.push('', ...tableDetails(table))
  if (report.sequences !== null && report.sequences.length > 0) {
    lines.push(
      '',
      '#### Sequences',
      '',
      '| Sequence | Source | Destination | Status |',
      '| --- | ---: | ---: | --- |',
      ...report.sequences.map(
        (sequence) =>
          `| ${code(sequence.label)} | ${sequence.sourceValue} | ${sequence.destinationValue ?? '-'} | ${
            sequence.status === 'behind' || sequence.status === 'missing' ? `**${sequence.status}**` : sequence.status
          } |`,
      ),
    )
  }
  return `${lines.join('\n')}\n`
}

function tableDetails(table: TableValidation): string[] {
  const heading = `${code(tableLabel(table))}:`
  if (table.differences.length === 0) return [`${heading} ${cell(table.note ?? table.status)}`]
  const ranges = table.ranges > 1 ? ` (${table.differingRanges} of ${table.ranges} key ranges differ)` : ''
  return [
    `${heading} ${differingRowsLabel(table)}${ranges}.`,
    '',
    '| Key | Difference | Columns |',
    '| --- | --- | --- |',
    ...table.differences.map(
      (difference) =>
        `| ${code(keyLabel(difference))} | ${differenceLabel(difference)} | ${difference.columns
          .map((column) => code(columnLabel(column)))
          .join(', ')} |`,
    ),
  ]
}

// a code span that survives backticks in the text, with table-breaking characters escaped
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`'
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${cell(text)}${pad}${fence}`
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}
