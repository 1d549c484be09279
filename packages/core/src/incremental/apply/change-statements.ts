import type { Cell, Statement } from './row-change.js'
import type { RouteColumn, TableRoute } from './table-route.js'

// PostgreSQL's bind message carries at most 65535 parameters
const MAX_PARAMETERS = 65_535
const MAX_ROWS_PER_STATEMENT = 1_000

/** Rows per multi-row statement for this many parameters a row. */
function rowsPerStatement(parametersPerRow: number): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / Math.max(1, parametersPerRow))))
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size))
  return out
}

function value(cell: Cell): string | null {
  if (cell === undefined) throw new Error('an unchanged TOAST value cannot be written')
  return cell
}

/**
 * Multi-row INSERT of whole rows; with the route's upsert key, ON CONFLICT updates every
 * copied column, so inserting a row that is already there (a change replayed over rows a newer
 * snapshot copied, or `conflicts: ignore`) converges instead of failing.
 */
export function insertStatements(route: TableRoute, rows: readonly (readonly Cell[])[], upsert: boolean): Statement[] {
  const columns = route.mapped
  const list = columns.map((column) => column.destination).join(', ')
  let conflict = ''
  if (upsert) {
    const keys = route.identity.map((column) => column.destination).join(', ')
    const others = columns.filter((column) => !route.identity.includes(column))
    conflict =
      others.length === 0
        ? ` ON CONFLICT (${keys}) DO NOTHING`
        : ` ON CONFLICT (${keys}) DO UPDATE SET ${others.map((column) => `${column.destination} = excluded.${column.destination}`).join(', ')}`
  }
  // OVERRIDING SYSTEM VALUE: GENERATED ALWAYS identity columns take the source's values
  return valuesLists(rows, columns).map(({ tuples, values }) => ({
    text: `INSERT INTO ${route.destination} (${list}) OVERRIDING SYSTEM VALUE VALUES ${tuples}${conflict}`,
    values,
  }))
}

/** Multi-row DELETE by key (routes whose identity is a key). */
export function deleteByKeyStatements(route: TableRoute, keys: readonly (readonly Cell[])[]): Statement[] {
  const identity = route.identity
  const names = identity.map((_, i) => `k${i}`)
  const match = identity.map((column, i) => `d.${column.destination} = v.${names[i]}`).join(' AND ')
  return valuesLists(keys, identity).map(({ tuples, values }) => ({
    text: `DELETE FROM ${route.destination} AS d USING (VALUES ${tuples}) AS v(${names.join(', ')}) WHERE ${match}`,
    values,
  }))
}

/**
 * Rows as `($1::type, $2::type), (...)` lists over `columns`, as many rows to a list as the
 * parameter limit allows, with the parameters of each list.
 */
function valuesLists(
  rows: readonly (readonly Cell[])[],
  columns: readonly RouteColumn[],
): { readonly tuples: string; readonly values: (string | null)[] }[] {
  return chunks(rows, rowsPerStatement(columns.length)).map((chunk) => {
    const values: (string | null)[] = []
    const tuples = chunk.map((row) => {
      const cells = columns.map((column) => {
        values.push(value(row[column.index]))
        return `$${values.length}::${column.type}`
      })
      return `(${cells.join(', ')})`
    })
    return { tuples: tuples.join(', '), values }
  })
}

/**
 * The WHERE clause finding one row by its identity. A FULL identity can match several equal
 * rows: only one of them is changed (by ctid), as the source changed one.
 */
function whereIdentity(route: TableRoute, identity: readonly Cell[], values: (string | null)[]): string {
  const conditions = route.identity.map((column) => condition(column, identity[column.index], values))
  const match = conditions.join(' AND ')
  if (!route.identityFull) return match
  return `ctid = (SELECT ctid FROM ${route.destination} WHERE ${match} LIMIT 1)`
}

function condition(column: RouteColumn, cell: Cell, values: (string | null)[]): string {
  const name = column.destination ?? ''
  if (cell === null) return `${name} IS NULL`
  values.push(value(cell))
  const parameter = `$${values.length}::${column.type}`
  // types without `=` (json, xml, point...) compare by their text output
  return column.comparable ? `${name} = ${parameter}` : `${name}::text = (${parameter})::text`
}

/** DELETE of one row found by its identity. */
export function deleteRowStatement(route: TableRoute, identity: readonly Cell[]): Statement {
  const values: (string | null)[] = []
  return { text: `DELETE FROM ${route.destination} WHERE ${whereIdentity(route, identity, values)}`, values }
}

/**
 * UPDATE of one row found by `identity`, setting the copied columns the change carries
 * (unchanged TOAST values are left as the destination has them).
 */
export function updateRowStatement(route: TableRoute, identity: readonly Cell[], row: readonly Cell[]): Statement | null {
  const values: (string | null)[] = []
  // a key column is set only when its value changes: GENERATED ALWAYS identity keys refuse any SET;
  // a FULL identity is the whole old row, so every unchanged column is left alone (its key too)
  const keyUnchanged = (column: RouteColumn) =>
    route.identity.includes(column) && identity[column.index] !== undefined && identity[column.index] === row[column.index]
  const sets = route.mapped
    .filter((column) => row[column.index] !== undefined && !keyUnchanged(column))
    .map((column) => {
      values.push(value(row[column.index]))
      return `${column.destination} = $${values.length}::${column.type}`
    })
  if (sets.length === 0) return null
  const where = whereIdentity(route, identity, values)
  return { text: `UPDATE ${route.destination} SET ${sets.join(', ')} WHERE ${where}`, values }
}

/** TRUNCATE of routed tables, as the source's statement asked (RESTART IDENTITY). */
export function truncateStatement(routes: readonly TableRoute[], restartIdentity: boolean): Statement {
  const list = routes.map((route) => route.destination).join(', ')
  return { text: `TRUNCATE ${list}${restartIdentity ? ' RESTART IDENTITY' : ''}`, values: [] }
}
