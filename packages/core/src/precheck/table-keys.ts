import type { ObjectId, TableDef } from '@pgshift/schema-diff'

/** The source tables by id, to reach a partition's parents. */
export type TablesById = ReadonlyMap<ObjectId, TableDef>

/**
 * The primary key's columns, or undefined. A partition's key is declared on its partitioned
 * parent: the model lists only local constraints, so the parents are searched too.
 */
export function primaryKeyOf(table: TableDef, tables: TablesById): readonly string[] | undefined {
  for (const current of lineage(table, tables)) {
    const key = current.constraints.find((constraint) => constraint.kind === 'primary_key')
    if (key !== undefined) return key.columns
  }
  return undefined
}

/**
 * Whether rows can be told apart: a primary key, or a unique constraint or non-partial,
 * expression-free unique index whose columns are all NOT NULL (NULLs are never equal, so a
 * unique key over a nullable column still allows duplicates). Keys of partitioned parents
 * count for their partitions.
 */
export function hasRowKey(table: TableDef, tables: TablesById): boolean {
  if (primaryKeyOf(table, tables) !== undefined) return true
  const notNull = new Set(
    table.columns.filter((column) => column.notNull).map((column) => column.name),
  )
  const isKey = (columns: readonly (string | null)[]) =>
    columns.length > 0 && columns.every((column) => column !== null && notNull.has(column))
  return lineage(table, tables).some(
    (current) =>
      current.constraints.some(
        (constraint) => constraint.kind === 'unique' && isKey(constraint.columns),
      ) ||
      current.indexes.some(
        (index) =>
          index.unique &&
          index.predicate === null &&
          !index.hasExpressions &&
          isKey(index.columns.slice(0, index.keyCount)),
      ),
  )
}

/**
 * The columns the source logs as the old row of an UPDATE/DELETE: `'all'` for FULL, the key
 * columns for DEFAULT (with a primary key) or USING INDEX, undefined when there are none.
 */
export function replicaIdentityColumns(
  table: TableDef,
  tables: TablesById,
): readonly string[] | 'all' | undefined {
  const identity = table.replicaIdentity
  if (identity === 'full') return 'all'
  if (identity === 'nothing') return undefined
  if (identity === 'default') return primaryKeyOf(table, tables)
  // an index that implements a constraint is listed under constraints, not indexes
  const index = table.indexes.find((candidate) => candidate.name === identity.index)
  if (index !== undefined) {
    return index.columns.slice(0, index.keyCount).filter((column) => column !== null)
  }
  return table.constraints.find((constraint) => constraint.name === identity.index)?.columns
}

/** The table, then its partitioned parents up to the root. */
function lineage(table: TableDef, tables: TablesById): TableDef[] {
  const chain = [table]
  let parent = table.partitionOf?.parent
  while (parent !== undefined) {
    const next = tables.get(parent)
    if (next === undefined || chain.includes(next)) break
    chain.push(next)
    parent = next.partitionOf?.parent
  }
  return chain
}

/** The model's tables by id. */
export function tablesById(tables: readonly TableDef[]): TablesById {
  return new Map(tables.map((table) => [table.id, table]))
}
