import type { ValidationReport } from './validation-report.js'

/** The counts every rendering of a report leads with. */
export interface ReportSummary {
  readonly tables: number
  readonly tablesDifferent: number
  /** null when sequences were not compared. */
  readonly sequences: number | null
  /** Sequences behind on, or missing from, the destination. */
  readonly sequencesBehind: number
}

/** Counts the tables and sequences of a report, and those that differ. Pure. */
export function summarizeReport(report: ValidationReport): ReportSummary {
  return {
    tables: report.tables.length,
    tablesDifferent: report.tables.filter((table) => table.status !== 'equal').length,
    sequences: report.sequences?.length ?? null,
    sequencesBehind: (report.sequences ?? []).filter(
      (sequence) => sequence.status === 'behind' || sequence.status === 'missing',
    ).length,
  }
}
