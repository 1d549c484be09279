import { quoteIdentifier, quoteQualifiedName } from '@pgshift/schema-diff'
import type { CopyTable } from './copy-plan.js'

/**
 * `COPY (SELECT <mapped columns> FROM ONLY <source> WHERE <filter> AND <range>) TO STDOUT`.
 * ONLY keeps rows of INHERITS children out: each child is a table of its own in the copy.
 */
export function renderCopyOut(table: CopyTable, rangePredicate: string | null): string {
  const conditions = [table.whereSql, rangePredicate].filter((part): part is string => part !== null)
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.map((part) => `(${part})`).join(' AND ')}`
  const columns = table.columns.map((column) => column.expression).join(', ')
  const from = quoteQualifiedName(table.source.schema, table.source.name)
  return `COPY (SELECT ${columns} FROM ONLY ${from}${where}) TO STDOUT (FORMAT ${table.format})`
}

/**
 * `COPY <destination> (<columns>) FROM STDIN`. FREEZE when the same transaction truncated
 * the table: the rows are then written frozen, sparing the destination a later
 * anti-wraparound vacuum that rewrites every page.
 */
export function renderCopyIn(table: CopyTable, options: { readonly freeze: boolean }): string {
  const columns = table.columns.map((column) => quoteIdentifier(column.destinationName)).join(', ')
  const into = quoteQualifiedName(table.destination.schema, table.destination.name)
  const freeze = options.freeze ? ', FREEZE' : ''
  return `COPY ${into} (${columns}) FROM STDIN (FORMAT ${table.format}${freeze})`
}
