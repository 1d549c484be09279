import { quoteIdentifier } from '@pgshift/schema-diff'
import type pg from 'pg'
import type { Cell, RowChange } from './row-change.js'
import type { TableRoute } from './table-route.js'

const ROWS_PER_QUERY = 500

/**
 * Applies a table's `where` filter to its changes, the way the full copy applied it: an insert
 * outside the filter is dropped, an update whose new row is outside becomes a delete (the row
 * left the filter, or never was in it: deleting nothing is harmless), an update inside stays
 * an update (and with an upsert key inserts a row that entered the filter).
 *
 * The filter is evaluated by the source server over the changes' values, with the source's
 * own types and functions, so it means exactly what it meant for the copy. An update that
 * left TOASTed values unchanged lacks them; they are read from the source's current row: if
 * they changed since, a later change in the stream carries them again, so the destination
 * still converges; a row gone from the source becomes a delete.
 */
export async function filterChanges(
  source: pg.Pool,
  route: TableRoute,
  sourceTypes: readonly string[],
  changes: readonly RowChange[],
): Promise<RowChange[]> {
  if (route.whereSql === null) return [...changes]
  const filled: RowChange[] = []
  for (const change of changes) {
    if (change.kind === 'update' && change.row.includes(undefined)) {
      const current = await readSourceRow(source, route, sourceTypes, change.row)
      filled.push(
        current === null
          ? { kind: 'delete', old: change.old ?? change.row }
          : { ...change, row: change.row.map((cell, index) => (cell === undefined ? current[index] : cell)) },
      )
      continue
    }
    filled.push(change)
  }
  const rows = filled.flatMap((change) => (change.kind === 'delete' ? [] : [change.row]))
  const matches = await evaluate(source, route, sourceTypes, rows)
  let next = 0
  const out: RowChange[] = []
  for (const change of filled) {
    if (change.kind === 'delete') {
      out.push(change)
      continue
    }
    const inside = matches[next++] === true
    if (change.kind === 'insert') {
      if (inside) out.push(change)
      continue
    }
    out.push(inside ? change : { kind: 'delete', old: change.old ?? change.row })
  }
  return out
}

async function evaluate(
  source: pg.Pool,
  route: TableRoute,
  sourceTypes: readonly string[],
  rows: readonly (readonly Cell[])[],
): Promise<boolean[]> {
  const names = route.columns.map((column) => quoteIdentifier(column.sourceName))
  const results: boolean[] = []
  for (let start = 0; start < rows.length; start += ROWS_PER_QUERY) {
    const chunk = rows.slice(start, start + ROWS_PER_QUERY)
    const values: (string | null)[] = []
    const tuples = chunk.map((row, position) => {
      const cells = route.columns.map((column, index) => {
        values.push(row[column.index] ?? null)
        return `$${values.length}::${sourceTypes[index] ?? 'text'}`
      })
      return `(${start + position}, ${cells.join(', ')})`
    })
    const { rows: evaluated } = await source.query<{ m: boolean }>(
      `SELECT coalesce((${route.whereSql}), false) AS m
         FROM (VALUES ${tuples.join(', ')}) AS t(pgshift_position, ${names.join(', ')})
        ORDER BY pgshift_position`,
      values,
    )
    results.push(...evaluated.map((row) => row.m))
  }
  return results
}

async function readSourceRow(
  source: pg.Pool,
  route: TableRoute,
  sourceTypes: readonly string[],
  row: readonly Cell[],
): Promise<Cell[] | null> {
  const keys = route.columns.filter((column) => column.isKey)
  if (keys.length === 0 || keys.some((column) => row[column.index] === undefined)) return null
  const values: (string | null)[] = []
  const where = keys.map((column) => {
    const cell = row[column.index] ?? null
    if (cell === null) return `${quoteIdentifier(column.sourceName)} IS NULL`
    values.push(cell)
    return `${quoteIdentifier(column.sourceName)} = $${values.length}::${sourceTypes[column.index] ?? 'text'}`
  })
  const list = route.columns.map((column) => `${quoteIdentifier(column.sourceName)}::text`).join(', ')
  const { rows } = await source.query({
    text: `SELECT ${list} FROM ${route.source} WHERE ${where.join(' AND ')}`,
    values,
    rowMode: 'array',
  })
  const found = rows[0] as (string | null)[] | undefined
  return found === undefined ? null : found
}
