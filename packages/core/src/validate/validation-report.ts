/** A schema-qualified name, unquoted. */
export interface QualifiedName {
  readonly schema: string
  readonly name: string
}

/** How the data was compared: row counts only, or counts and row checksums. */
export type ComparisonMode = 'count' | 'checksum'

/**
 * The per-row hash both sides computed: `column-hash`, PostgreSQL's extended hash functions per
 * column, when both servers give the same value for a probe (PostgreSQL 11+, same byte order),
 * else `md5` of the row's text; `none` when only rows were counted.
 */
export type RowHashFunction = 'column-hash' | 'md5' | 'none'

/** A key value, per key column (source names), as PostgreSQL prints it. */
export type RowKey = Readonly<Record<string, string>>

/** A column named on both sides. */
export interface MappedColumn {
  readonly source: string
  readonly destination: string
}

/** One row that is not the same on both sides. */
export interface RowDifference {
  /**
   * missing: on the source (after its filter), not on the destination; extra: on the
   * destination only; changed: on both sides with different values.
   */
  readonly kind: 'missing' | 'extra' | 'changed'
  readonly key: RowKey
  /** For a changed row, the columns whose values differ; empty otherwise. */
  readonly columns: readonly MappedColumn[]
}

/** equal; different (rows, values or columns); missing (no destination table). */
export type TableStatus = 'equal' | 'different' | 'missing'

/** What validation found for one source table (a leaf: partitions stand for their parent). */
export interface TableValidation {
  readonly tableId: string
  readonly source: QualifiedName
  readonly destination: QualifiedName
  readonly status: TableStatus
  /** Rows on the source after the spec's filter; null when the table could not be compared. */
  readonly sourceRows: number | null
  readonly destinationRows: number | null
  /** Whether the rows' checksums matched; not-compared in count mode or without a comparison. */
  readonly checksum: 'equal' | 'different' | 'not-compared'
  /** The source key columns that ranges and differences are keyed on; empty without a usable key. */
  readonly key: readonly string[]
  /** Key ranges compared (1: the whole table). */
  readonly ranges: number
  /** Ranges whose count or checksum differed. */
  readonly differingRanges: number
  /** The first differing rows, in key order, at most `maxKeys`. */
  readonly differences: readonly RowDifference[]
  /** More rows differ than are listed. */
  readonly moreDifferences: boolean
  /** Why differences could not be named, or what kept the table from being compared. */
  readonly note: string | null
}

/** equal; ahead (destination past the source: fine after cutover); behind; missing on the destination. */
export type SequenceStatus = 'equal' | 'ahead' | 'behind' | 'missing'

/** One migrated sequence on both sides. */
export interface SequenceValidation {
  /** `sales.orders_id_seq`, or `sales.orders.id` for an identity column. */
  readonly label: string
  /** The value `nextval` last returned, or the start value when never called. */
  readonly sourceValue: string
  readonly destinationValue: string | null
  readonly status: SequenceStatus
}

/** What {@link validateMigration} found. */
export interface ValidationReport {
  /** The spec's `metadata.name`. */
  readonly migration: string
  readonly mode: ComparisonMode
  readonly rowHash: RowHashFunction
  /** equal when every table is equal and no sequence is behind or missing. */
  readonly status: 'equal' | 'different'
  /** Sorted by table id. */
  readonly tables: readonly TableValidation[]
  /** Sorted by label; null when sequences were not compared. */
  readonly sequences: readonly SequenceValidation[] | null
  readonly durationMs: number
}
