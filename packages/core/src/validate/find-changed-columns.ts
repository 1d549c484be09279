import type { TableComparison } from './compare-range.js'
import type { KeyTuple } from './key-range.js'
import { WHOLE_TABLE } from './key-range.js'
import { rowValuesSql } from './range-sql.js'
import { readBothSides } from './read-both-sides.js'
import type { TextRow } from './read-both-sides.js'
import type { MappedColumn } from './validation-report.js'

/**
 * Reads the given rows' values as text on both sides and names, per key, the compared columns
 * whose values differ. Keys are matched as JSON of their tuple.
 */
export async function findChangedColumns(
  comparison: TableComparison,
  keys: readonly KeyTuple[],
): Promise<Map<string, MappedColumn[]>> {
  const changed = new Map<string, MappedColumn[]>()
  if (keys.length === 0) return changed
  const { sides, table } = comparison
  const rows = await readBothSides(
    comparison.databases,
    { source: rowValuesSql(sides.source, keys), destination: rowValuesSql(sides.destination, keys) },
    comparison,
    { tableId: table.tableId, range: WHOLE_TABLE },
  )
  const width = sides.source.keyColumns.length
  const byKey = (list: readonly TextRow[]) => new Map(list.map((row) => [JSON.stringify(row.slice(0, width)), row]))
  const destination = byKey(rows.destination)
  for (const [id, sourceRow] of byKey(rows.source)) {
    const destinationRow = destination.get(id)
    if (destinationRow === undefined) continue
    changed.set(
      id,
      table.columns
        .filter((_, index) => sourceRow[width + index] !== destinationRow[width + index])
        .map((column) => ({ source: column.source, destination: column.destination })),
    )
  }
  return changed
}
