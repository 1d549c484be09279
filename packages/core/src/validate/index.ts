export { validateMigration } from './validate-migration.js'
export type { ValidateMigrationInput, ValidateMigrationOptions } from './validate-migration.js'
export type { RangeConsistency, RangePoint } from './range-consistency.js'
export type { KeyRange, KeyTuple } from './key-range.js'
export type {
  ComparisonMode,
  MappedColumn,
  QualifiedName,
  RowDifference,
  RowHashFunction,
  RowKey,
  SequenceStatus,
  SequenceValidation,
  TableStatus,
  TableValidation,
  ValidationReport,
} from './validation-report.js'
export { summarizeReport } from './summarize-report.js'
export type { ReportSummary } from './summarize-report.js'
export { renderValidationText } from './render-validation-text.js'
export { renderValidationJson } from './render-validation-json.js'
export { renderValidationMarkdown } from './render-validation-markdown.js'
