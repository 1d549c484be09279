import { quoteIdentifier, quoteQualifiedName } from '@pgshift/schema-diff'
import type { TableToCopy } from './select-copy-tables.js'

/**
 * A table's copy as a reviewer reads it: the source query and the destination it streams into,
 * before the destination exists (so without the casts and format the engine picks once it can
 * read the destination's column types). Plans and dry runs print these.
 */
export function renderCopyStep(table: TableToCopy): { readonly out: string; readonly into: string } {
  const select = table.columns.map((column) => quoteIdentifier(column.source)).join(', ')
  const where = table.whereSql === null ? '' : ` WHERE ${table.whereSql}`
  const into = table.columns.map((column) => quoteIdentifier(column.destination)).join(', ')
  return {
    out: `COPY (SELECT ${select} FROM ONLY ${quoteQualifiedName(table.source.schema, table.source.name)}${where}) TO STDOUT`,
    into: `COPY ${quoteQualifiedName(table.destination.schema, table.destination.name)} (${into}) FROM STDIN`,
  }
}
