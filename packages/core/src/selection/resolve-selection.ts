import { quoteIdentifier, quoteQualifiedName } from '@pgshift/schema-diff'
import type { ObjectId, SchemaModel, TableDef } from '@pgshift/schema-diff'
import { matchGlob, ROW_OPERATIONS } from '../spec/index.js'
import type { MigrationSpec, RowOperation, SchemaSelection, TableSelection } from '../spec/index.js'

/** One source table the migration moves, with where it lands. */
export interface SelectedTable {
  readonly table: TableDef
  /** The spec's entry for the table; `null` when a whole schema (or database) selected it. */
  readonly spec: TableSelection | null
  /** The spec's entry for the table's schema; `null` when the whole database is selected. */
  readonly schemaSpec: SchemaSelection | null
  /** `sales.orders`, quoted as SQL needs. */
  readonly sourceName: string
  readonly destinationSchema: string
  readonly destinationName: string
  /** `sales_eu.orders_archive`, quoted as SQL needs. */
  readonly destinationQualifiedName: string
  /** The row changes incremental migration replicates for it. */
  readonly operations: readonly RowOperation[]
}

/** A schema or table the spec names that the source does not have. */
export interface MissingObject {
  readonly kind: 'schema' | 'table'
  /** `sales` or `sales.orders`, quoted as SQL needs. */
  readonly name: string
}

/** The spec's `objects` resolved against the source's schema. */
export interface ResolvedSelection {
  /** Sorted by the table's id. */
  readonly tables: readonly SelectedTable[]
  /** Ids of the source sequences that are migrated (identity sequences go with their column). */
  readonly sequences: readonly ObjectId[]
  /** Sorted by name. */
  readonly missing: readonly MissingObject[]
}

/**
 * Resolves the spec's selection to source tables: `objects: null` takes every table of the
 * model; a schema entry takes its tables (or only the listed ones) minus its `exclude` globs.
 * Pure: the model must come from an introspection of the whole source database, so that
 * objects outside the selection (parents, partitions, sequences) can be told apart from
 * objects that do not exist.
 */
export function resolveSelection(spec: MigrationSpec, model: SchemaModel): ResolvedSelection {
  const selected = new Map<ObjectId, SelectedTable>()
  const sequences = new Set<ObjectId>()
  const missing: MissingObject[] = []
  const add = (
    table: TableDef,
    entry: SchemaSelection | null,
    tableSpec: TableSelection | null,
  ) => {
    if (selected.has(table.id)) return
    const destinationSchema = entry?.destinationSchema ?? table.schema
    const destinationName = tableSpec?.destinationName ?? table.name
    selected.set(table.id, {
      table,
      spec: tableSpec,
      schemaSpec: entry,
      sourceName: quoteQualifiedName(table.schema, table.name),
      destinationSchema,
      destinationName,
      destinationQualifiedName: quoteQualifiedName(destinationSchema, destinationName),
      operations: tableSpec?.operations ?? ROW_OPERATIONS,
    })
  }

  if (spec.objects === null) {
    for (const table of model.tables) add(table, null, null)
    for (const sequence of model.sequences) sequences.add(sequence.id)
  } else {
    const schemaNames = new Set(model.schemas.map((schema) => schema.name))
    for (const entry of spec.objects) {
      if (!schemaNames.has(entry.schema)) {
        missing.push({ kind: 'schema', name: quoteIdentifier(entry.schema) })
        continue
      }
      const isKept = (name: string) => !entry.exclude.some((glob) => matchGlob(glob, name))
      const tables = model.tables.filter((table) => table.schema === entry.schema)
      if (entry.tables === null) {
        for (const table of tables) if (isKept(table.name)) add(table, entry, null)
        for (const sequence of model.sequences) {
          if (sequence.schema === entry.schema && isKept(sequence.name)) sequences.add(sequence.id)
        }
        continue
      }
      for (const tableSpec of entry.tables) {
        const table = tables.find((candidate) => candidate.name === tableSpec.name)
        if (table === undefined) {
          missing.push({ kind: 'table', name: quoteQualifiedName(entry.schema, tableSpec.name) })
        } else if (isKept(table.name)) {
          add(table, entry, tableSpec)
        }
      }
    }
    // a listed table takes the sequences it owns in its own schema along (SERIAL columns)
    for (const sequence of model.sequences) {
      const owner = sequence.ownedBy === null ? undefined : selected.get(sequence.ownedBy.table)
      if (owner !== undefined && owner.table.schema === sequence.schema) sequences.add(sequence.id)
    }
  }
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  return {
    tables: [...selected.values()].sort((a, b) => byText(a.table.id, b.table.id)),
    sequences: [...sequences].sort(byText),
    missing: missing.sort((a, b) => byText(a.name, b.name)),
  }
}
