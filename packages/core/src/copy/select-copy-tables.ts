import type { SchemaModel, TableDef } from '@pgshift/schema-diff'
import type { MigrationSpec, RowOperation, SchemaSelection, TableSelection } from '../spec/index.js'
import { partitionRoot, resolveSelection } from '../selection/index.js'
import { matchGlob } from '../spec/index.js'

/** A source table chosen for the full copy, with how it lands in the destination. */
export interface TableToCopy {
  readonly tableId: string
  readonly source: { readonly schema: string; readonly name: string }
  readonly destination: { readonly schema: string; readonly name: string }
  /** Source column → destination column, in source order; generated and excluded columns left out. */
  readonly columns: readonly { readonly source: string; readonly destination: string }[]
  readonly whereSql: string | null
  /**
   * The source column of a single-column integer primary key (the partitioned root's key for
   * a partition) when the destination keeps it, else null. Large tables split on it.
   */
  readonly keyColumn: string | null
  /** Source columns the spec excludes (a column the copy did not know is copied under its own name). */
  readonly excludedColumns: readonly string[]
  /** The row changes incremental migration replicates for it (the listed entry's, else all). */
  readonly operations: readonly RowOperation[]
}

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint'])

/**
 * The tables the full copy moves, derived from the spec's resolved selection: a partitioned
 * table stands for its leaf partitions (recursively), which inherit its filter and column
 * mapping and its schema's exclude globs; a partition listed by name keeps its own settings.
 * Pure.
 */
export function selectCopyTables(spec: MigrationSpec, model: SchemaModel): TableToCopy[] {
  const { tables, missing } = resolveSelection(spec, model)
  const first = missing[0]
  if (first !== undefined) {
    throw new Error(`${first.kind} ${first.name} of the spec does not exist in the source`)
  }
  const byId = new Map(model.tables.map((table) => [table.id, table]))
  const children = new Map<string, TableDef[]>()
  for (const table of model.tables) {
    const parent = table.partitionOf?.parent
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), table])
  }
  const leaves = (table: TableDef): TableDef[] =>
    table.kind === 'partitioned' ? (children.get(table.id) ?? []).flatMap(leaves) : [table]
  const resolved = new Set(tables.map((entry) => entry.table.id))

  const selected = new Map<string, TableToCopy>()
  for (const entry of tables) {
    const parent = entry.table.partitionOf?.parent
    // an unlisted partition of a selected parent comes with the parent's settings
    if (entry.spec === null && parent !== undefined && resolved.has(parent)) continue
    for (const leaf of leaves(entry.table)) {
      if (entry.schemaSpec?.exclude.some((glob) => matchGlob(glob, leaf.name))) continue
      // a leaf listed by name keeps its own settings over those inherited from its parent
      if (selected.has(leaf.id) && leaf !== entry.table) continue
      selected.set(leaf.id, selectTable(leaf, entry.schemaSpec, entry.spec, byId, entry.operations))
    }
  }
  return [...selected.values()].sort((a, b) => (a.tableId < b.tableId ? -1 : a.tableId > b.tableId ? 1 : 0))
}

function selectTable(
  table: TableDef,
  schema: SchemaSelection | null,
  selection: TableSelection | null,
  byId: ReadonlyMap<string, TableDef>,
  operations: readonly RowOperation[],
): TableToCopy {
  const exclude = new Set(selection?.columns.exclude ?? [])
  const rename = selection?.columns.rename ?? {}
  const columns = table.columns
    .filter((column) => column.generated === null && !exclude.has(column.name))
    .map((column) => ({ source: column.name, destination: rename[column.name] ?? column.name }))
  // the rename of a listed partitioned table applies to that table, not to its partitions
  const renamed = selection !== null && selection.name === table.name
  const key = integerKey(partitionRoot(table, byId))
  return {
    tableId: table.id,
    source: { schema: table.schema, name: table.name },
    destination: {
      schema: schema?.destinationSchema ?? table.schema,
      name: renamed ? selection.destinationName : table.name,
    },
    columns,
    whereSql: selection?.whereSql ?? null,
    keyColumn: key !== null && columns.some((column) => column.source === key) ? key : null,
    excludedColumns: [...exclude].sort(),
    operations,
  }
}

function integerKey(table: TableDef): string | null {
  const primaryKey = table.constraints.find((constraint) => constraint.kind === 'primary_key')
  const column = primaryKey?.columns.length === 1 ? primaryKey.columns[0] : undefined
  const type = table.columns.find((candidate) => candidate.name === column)?.type
  return column !== undefined && type !== undefined && INTEGER_TYPES.has(type) ? column : null
}
