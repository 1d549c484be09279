import { quoteLiteral } from '@pgshift/schema-diff'
import type { KeyRange, KeyTuple } from './key-range.js'
import { rangePredicate, WHOLE_TABLE } from './key-range.js'
import { rowHashExpression } from './row-hash.js'
import type { RowHashFunction } from './validation-report.js'
import type { TableSide } from './validation-table.js'

// The statements validation runs, one side at a time. Every one of them reads the rows of a
// key range (or the whole table) through the side's filter, so the two sides of a comparison
// always look at the same slice.

function where(side: TableSide, range: KeyRange, extra: string | null = null): string {
  const conditions = [side.filter, rangePredicate(side.keyColumns, range), extra].filter(
    (part): part is string => part !== null,
  )
  return conditions.length === 0 ? '' : ` WHERE ${conditions.map((part) => `(${part})`).join(' AND ')}`
}

/** Row count and checksum (sum of row hashes) of a range: `rows`, `sum` as decimal text. */
export function checksumSql(side: TableSide, range: KeyRange, hash: RowHashFunction): string {
  const sum = hash === 'none' ? '0' : `coalesce(sum(${rowHashExpression(hash, side.rowColumns)}), 0)`
  return `SELECT count(*)::text AS rows, ${sum}::text AS sum FROM ${side.from}${where(side, range)}`
}

/** Each row's key columns then its hash, all as text (array rows). */
export function rowHashesSql(side: TableSide, range: KeyRange, hash: RowHashFunction): string {
  const keys = side.keyExpressions.map((expression) => `(${expression})::text`)
  const hashText = `(${rowHashExpression(hash, side.rowColumns)})::text`
  return `SELECT ${[...keys, hashText].join(', ')} FROM ${side.from}${where(side, range)}`
}

/**
 * Every `step`-th key of a range in key order (array rows): boundaries that cut it into
 * pieces of `step` rows on this side.
 */
export function quantileKeysSql(side: TableSide, range: KeyRange, step: number): string {
  const keys = side.keyColumns.join(', ')
  const texts = side.keyColumns.map((_, index) => `k${index}::text`)
  const aliased = side.keyColumns.map((column, index) => `${column} AS k${index}`).join(', ')
  return (
    `SELECT ${texts.join(', ')} FROM (SELECT ${aliased}, row_number() OVER (ORDER BY ${keys}) AS n ` +
    `FROM ${side.from}${where(side, range)}) AS ordered WHERE n % ${step} = 0 ORDER BY n`
  )
}

/**
 * Keys of a page sample in key order (array rows). TABLESAMPLE SYSTEM reads only the sampled
 * pages, so boundaries of a large table cost a fraction of a scan.
 */
export function sampleKeysSql(side: TableSide, percent: number): string {
  const keys = side.keyColumns.join(', ')
  const texts = side.keyColumns.map((column) => `${column}::text`).join(', ')
  return `SELECT ${texts} FROM ${side.from} TABLESAMPLE SYSTEM (${percent}) ORDER BY ${keys}`
}

/** Lowest and highest key of a single-column integer key (`min`, `max`). */
export function keyBoundsSql(side: TableSide): string {
  const key = side.keyColumns[0] ?? ''
  return `SELECT min(${key})::text AS min, max(${key})::text AS max FROM ${side.from}`
}

/** Row count of the table, filter applied (`rows`). */
export function countSql(side: TableSide): string {
  return `SELECT count(*)::text AS rows FROM ${side.from}${where(side, WHOLE_TABLE)}`
}

/**
 * The listed rows' key columns, then every compared column, all as text (array rows); values
 * printed by their output functions (concat), as the row hashes read them.
 */
export function rowValuesSql(side: TableSide, keys: readonly KeyTuple[]): string {
  const values = side.rowColumns.map(
    (column) => `CASE WHEN (${column.expression}) IS NULL THEN NULL ELSE concat(${column.expression}) END`,
  )
  const texts = [...side.keyExpressions.map((expression) => `(${expression})::text`), ...values]
  const key = side.keyColumns.length === 1 ? (side.keyColumns[0] ?? '') : `(${side.keyColumns.join(', ')})`
  const tuples = keys.map((tuple) => {
    const literals = tuple.map(quoteLiteral)
    return literals.length === 1 ? (literals[0] ?? '') : `(${literals.join(', ')})`
  })
  const wanted = `${key} IN (${tuples.join(', ')})`
  return `SELECT ${texts.join(', ')} FROM ${side.from}${where(side, WHOLE_TABLE, wanted)}`
}
