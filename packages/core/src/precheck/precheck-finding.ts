/** How bad a finding is: an error stops `apply`; a warning is shown in the plan and accepted. */
export type PrecheckSeverity = 'error' | 'warning'

/**
 * The stable codes of precheck findings. Users branch on them (CI, allow lists), so codes are
 * only ever added, never renamed.
 */
export type PrecheckCode =
  | 'COLUMN_NOT_FOUND'
  | 'COLUMN_RENAME_COLLISION'
  | 'CONNECTIVITY'
  | 'DESTINATION_CONFLICT'
  | 'DESTINATION_PRIVILEGES'
  | 'EXTENSION_UNAVAILABLE'
  | 'LONG_RUNNING_TRANSACTION'
  | 'MAPPING_UNSUPPORTED'
  | 'OBJECT_NOT_FOUND'
  | 'PARTITION_SELECTION'
  | 'PRECHECK_FAILED'
  | 'REPLICA_IDENTITY'
  | 'REPLICATION_SLOTS'
  | 'ROW_FILTER_REPLICA_IDENTITY'
  | 'SEQUENCE_NOT_SELECTED'
  | 'SERVER_VERSION'
  | 'SOURCE_PRIVILEGES'
  | 'TABLE_WITHOUT_KEY'
  | 'UNSUPPORTED_OBJECT'
  | 'VERSION_DOWNGRADE'
  | 'WAL_LEVEL'
  | 'WAL_RETENTION'
  | 'WAL_SENDERS'
  | 'WHERE_FILTER_COLUMN'
  | 'WHERE_FILTER_INVALID'

/** One thing a precheck found: plain data, ready for plan.json and plan.md. */
export interface PrecheckFinding {
  readonly code: PrecheckCode
  readonly severity: PrecheckSeverity
  /** What is wrong, naming the object. */
  readonly message: string
  /** How to fix it. */
  readonly hint: string
  /** The object concerned, as SQL names it (`sales.orders`, `sales.orders.amount`). */
  readonly object?: string
  /**
   * A live measurement behind the finding (a WAL write rate): shown while applying, left out
   * of plans, which must not change between two runs over the same inputs.
   */
  readonly measured?: string
}

/** Stable codes of fidelity notes. */
export type FidelityCode =
  | 'LARGE_OBJECTS'
  | 'MATERIALIZED_VIEWS'
  | 'OWNERS_AND_GRANTS'
  | 'SEQUENCES_AT_CUTOVER'
  | 'UNLOGGED_TABLES'

/**
 * What the migration does not carry over exactly as the source has it. Not a failure: the plan
 * lists these so that nobody is surprised after cutover.
 */
export interface FidelityNote {
  readonly code: FidelityCode
  readonly message: string
}

const severityOrder: Readonly<Record<PrecheckSeverity, number>> = { error: 0, warning: 1 }

/** Errors first, then by code, object and message (code-unit order, never locale). */
export function compareFindings(a: PrecheckFinding, b: PrecheckFinding): number {
  return (
    severityOrder[a.severity] - severityOrder[b.severity] ||
    compareText(a.code, b.code) ||
    compareText(a.object ?? '', b.object ?? '') ||
    compareText(a.message, b.message)
  )
}

/** Code-unit order, so that output does not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
