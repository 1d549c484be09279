import type { TableDef } from '@pgshift/schema-diff'
import type { TableKey, ValidationColumn } from './validation-table.js'

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint'])

/**
 * The key validation names rows by: the primary key, else a unique constraint, else a plain
 * unique index (no expression, no predicate), whose columns are all NOT NULL — a unique key
 * with a nullable column lets duplicate NULL keys through, and those rows could not be told
 * apart. A partition uses its partitioned root's keys (the catalog lists them there). Every key
 * column must be compared, so a key the spec's column excludes leave out does not count.
 * Returns the key, or why there is none. Pure.
 */
export function findTableKey(
  table: TableDef,
  root: TableDef,
  columns: readonly ValidationColumn[],
): { readonly key: TableKey } | { readonly reason: string } {
  const notNull = new Set(table.columns.filter((column) => column.notNull).map((column) => column.name))
  const candidates: (readonly string[])[] = [
    ...root.constraints.filter((constraint) => constraint.kind === 'primary_key').map((pk) => pk.columns),
    ...root.constraints.filter((constraint) => constraint.kind === 'unique').map((unique) => unique.columns),
    ...root.indexes
      .filter((index) => index.unique && index.predicate === null && !index.hasExpressions)
      .map((index) => index.columns.slice(0, index.keyCount).filter((column): column is string => column !== null)),
  ].filter((candidate) => candidate.length > 0 && candidate.every((column) => notNull.has(column)))
  if (candidates.length === 0) {
    return { reason: 'it has no primary key and no unique key over NOT NULL columns' }
  }
  const byName = new Map(columns.map((column) => [column.source, column]))
  for (const candidate of candidates) {
    const keyColumns = candidate.map((name) => byName.get(name))
    if (keyColumns.some((column) => column === undefined)) continue
    const type = table.columns.find((column) => column.name === candidate[0])?.type ?? ''
    return {
      key: {
        columns: keyColumns.filter((column): column is ValidationColumn => column !== undefined),
        integer: candidate.length === 1 && INTEGER_TYPES.has(type),
      },
    }
  }
  return { reason: `its key (${candidates[0]?.join(', ')}) is not compared: the spec leaves a key column out` }
}
