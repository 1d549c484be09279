import { quoteIdentifier, quoteQualifiedName } from '@pgshift/schema-diff'
import type { HashedColumn } from './row-hash.js'
import type { QualifiedName } from './validation-report.js'

/** A compared column: its name on each side and the SQL that reads it on the source. */
export interface ValidationColumn {
  readonly source: string
  readonly destination: string
  /**
   * The source's SELECT expression, cast to the destination's type where the copy casts, so
   * both sides print the same text for the same value.
   */
  readonly sourceExpression: string
  /** format_type of the destination column: the type both sides' values are hashed as. */
  readonly type: string
}

/** The key ranges and differing rows are named by. */
export interface TableKey {
  /** In key order; every one of them is among the compared columns. */
  readonly columns: readonly ValidationColumn[]
  /** A single smallint, integer or bigint column: ranges are split by arithmetic on it. */
  readonly integer: boolean
}

/** One table as validation compares it: both names, the compared columns, filter and key. */
export interface ValidationTable {
  readonly tableId: string
  readonly source: QualifiedName
  readonly destination: QualifiedName
  /** In source order; generated and excluded columns left out, as the copy leaves them. */
  readonly columns: readonly ValidationColumn[]
  /** The spec's canonical filter, applied to the source only. */
  readonly whereSql: string | null
  readonly key: TableKey | null
  /** Why the table has no usable key (null when it has one). */
  readonly keylessReason: string | null
  /** reltuples of the source table, or null when it was never analyzed. */
  readonly estimatedRows: number | null
}

/** Which side a query runs on. */
export type Side = 'source' | 'destination'

/**
 * A table seen from one side: the relation, the row and key expressions and the filter that
 * side's queries use. Only the source has a filter: the destination holds the filtered rows.
 */
export interface TableSide {
  readonly side: Side
  /** `ONLY schema.name`: rows of INHERITS children are compared as tables of their own. */
  readonly from: string
  /** The compared columns as this side reads them, with the destination's types. */
  readonly rowColumns: readonly HashedColumn[]
  /** Key columns as range predicates name them (plain columns, so indexes serve them). */
  readonly keyColumns: readonly string[]
  /** Key values as the destination prints them, to match rows across sides. */
  readonly keyExpressions: readonly string[]
  readonly filter: string | null
}

/** The table from the source's or the destination's side. */
export function tableSide(table: ValidationTable, side: Side): TableSide {
  const source = side === 'source'
  const name = source ? table.source : table.destination
  const keyColumns = table.key?.columns ?? []
  return {
    side,
    from: `ONLY ${quoteQualifiedName(name.schema, name.name)}`,
    rowColumns: table.columns.map((column) => ({
      expression: source ? column.sourceExpression : quoteIdentifier(column.destination),
      type: column.type,
    })),
    keyColumns: keyColumns.map((column) => quoteIdentifier(source ? column.source : column.destination)),
    keyExpressions: keyColumns.map((column) =>
      source ? column.sourceExpression : quoteIdentifier(column.destination),
    ),
    filter: source ? table.whereSql : null,
  }
}
