import type { ObjectId, TableDef } from '@pgshift/schema-diff'

/**
 * The root of a partition tree the table belongs to (the table itself when it is no
 * partition): keys, copy splits and index builds are decided per tree, by its root.
 */
export function partitionRoot(table: TableDef, tables: ReadonlyMap<ObjectId, TableDef>): TableDef {
  let current = table
  const seen = new Set([table.id])
  for (let parent = tables.get(current.partitionOf?.parent ?? ''); parent !== undefined && !seen.has(parent.id); ) {
    seen.add(parent.id)
    current = parent
    parent = tables.get(current.partitionOf?.parent ?? '')
  }
  return current
}
