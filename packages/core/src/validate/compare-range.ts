import type { KeyRange } from './key-range.js'
import type { RangeConsistency } from './range-consistency.js'
import { checksumSql } from './range-sql.js'
import { readBothSides } from './read-both-sides.js'
import type { DatabasePair } from './read-both-sides.js'
import type { RowHashFunction } from './validation-report.js'
import type { TableSide, ValidationTable } from './validation-table.js'

/** What one table's comparisons share. */
export interface TableComparison {
  readonly databases: DatabasePair
  readonly table: ValidationTable
  readonly sides: { readonly source: TableSide; readonly destination: TableSide }
  readonly hash: RowHashFunction
  readonly consistency: RangeConsistency | undefined
  /** The table is compared in several ranges at once: PostgreSQL's parallel workers stay out. */
  readonly serial: boolean
}

/** Rows and checksum of a range on one side. */
export interface RangeTotals {
  readonly rows: bigint
  readonly sum: bigint
}

/** A range compared on both sides. */
export interface ComparedRange {
  readonly range: KeyRange
  readonly source: RangeTotals
  readonly destination: RangeTotals
  readonly equal: boolean
}

/**
 * Counts and hashes one range on both sides, in SQL. With a consistency gate a differing
 * range is compared again (up to its `rechecks`), since replication may still have been
 * applying a change that touched it.
 */
export async function compareRange(comparison: TableComparison, range: KeyRange): Promise<ComparedRange> {
  const { sides, hash, consistency } = comparison
  const statements = { source: checksumSql(sides.source, range, hash), destination: checksumSql(sides.destination, range, hash) }
  const rechecks = consistency === undefined ? 0 : (consistency.rechecks ?? 2)
  for (let attempt = 0; ; attempt++) {
    const rows = await readBothSides(comparison.databases, statements, comparison, {
      tableId: comparison.table.tableId,
      range,
    })
    const source = totals(rows.source[0])
    const destination = totals(rows.destination[0])
    const equal = source.rows === destination.rows && source.sum === destination.sum
    if (equal || attempt >= rechecks) return { range, source, destination, equal }
  }
}

function totals(row: readonly (string | null)[] | undefined): RangeTotals {
  return { rows: BigInt(row?.[0] ?? '0'), sum: BigInt(row?.[1] ?? '0') }
}
