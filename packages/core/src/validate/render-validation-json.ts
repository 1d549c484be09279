import { summarizeReport } from './summarize-report.js'
import type { RowDifference, TableValidation, ValidationReport } from './validation-report.js'

/**
 * The report as JSON for tools. Keys are written in a fixed order, whatever order the report's
 * objects were built in, so two runs over the same data differ only in `durationMs`.
 */
export function renderValidationJson(report: ValidationReport): string {
  const json = {
    migration: report.migration,
    status: report.status,
    mode: report.mode,
    rowHash: report.rowHash,
    summary: summarizeReport(report),
    tables: report.tables.map(table),
    sequences:
      report.sequences?.map((sequence) => ({
        label: sequence.label,
        status: sequence.status,
        sourceValue: sequence.sourceValue,
        destinationValue: sequence.destinationValue,
      })) ?? null,
    durationMs: report.durationMs,
  }
  return `${JSON.stringify(json, null, 2)}\n`
}

function table(entry: TableValidation) {
  return {
    tableId: entry.tableId,
    source: { schema: entry.source.schema, name: entry.source.name },
    destination: { schema: entry.destination.schema, name: entry.destination.name },
    status: entry.status,
    sourceRows: entry.sourceRows,
    destinationRows: entry.destinationRows,
    checksum: entry.checksum,
    key: [...entry.key],
    ranges: entry.ranges,
    differingRanges: entry.differingRanges,
    differences: entry.differences.map((difference) => row(difference, entry.key)),
    moreDifferences: entry.moreDifferences,
    note: entry.note,
  }
}

function row(difference: RowDifference, key: readonly string[]) {
  return {
    kind: difference.kind,
    key: Object.fromEntries(key.map((column) => [column, difference.key[column] ?? null])),
    columns: difference.columns.map((column) => ({ source: column.source, destination: column.destination })),
  }
}
