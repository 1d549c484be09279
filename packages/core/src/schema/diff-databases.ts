import {
  applyMapping,
  diffSchemas,
  introspectSchema,
  loadSqlParser,
  quoteQualifiedName,
} from '@pgshift/schema-diff'
import type { MappingNote, NameMapping, Operation, SchemaModel } from '@pgshift/schema-diff'
import type { Database } from '../pg/index.js'

/** Which schemas to compare, by their source names. */
export interface SchemaFilter {
  readonly schemas?: readonly string[]
  readonly excludeSchemas?: readonly string[]
}

/** What it takes to make the destination's schema match the source's. */
export interface DatabaseDiff {
  readonly source: SchemaModel
  readonly destination: SchemaModel
  readonly operations: readonly Operation[]
  /** Whether the destination already holds rows in tables the operations alter. */
  readonly lockAware: boolean
  readonly notes: readonly MappingNote[]
}

/**
 * Introspects both databases and diffs them. When a table that would be altered already holds
 * rows, the diff is made lock-aware (concurrent index builds, NOT VALID then VALIDATE,
 * lock_timeout), so that the DDL does not block the destination's readers for long.
 */
export async function diffDatabases(
  source: Database,
  destination: Database,
  selection: SchemaFilter = {},
  mapping: NameMapping = {},
): Promise<DatabaseDiff> {
  const rename = (names: readonly string[] | undefined) =>
    names?.map((name) => mapping.schemas?.[name] ?? name)
  const [sourceModel, destinationModel] = await Promise.all([
    introspectSchema(source.kysely, selection),
    introspectSchema(destination.kysely, {
      schemas: rename(selection.schemas),
      excludeSchemas: rename(selection.excludeSchemas),
    }),
  ])
  // definitions are compared by meaning, which needs PostgreSQL's parser
  await loadSqlParser()
  const mapped = await applyMapping(sourceModel, mapping)
  const plain = diffSchemas(destinationModel, mapped.model)
  const lockAware = await holdsData(destination, destinationModel, alteredTables(plain))
  const operations = lockAware ? diffSchemas(destinationModel, mapped.model, { lockAware }) : plain
  return { source: sourceModel, destination: destinationModel, operations, lockAware, notes: mapped.notes }
}

function alteredTables(operations: readonly Operation[]): Set<string> {
  const created = new Set(operations.filter((op) => op.kind === 'create_table').map((op) => op.id))
  return new Set(
    operations.map((op) => op.id).filter((id) => id.startsWith('table:') && !created.has(id)),
  )
}

async function holdsData(db: Database, model: SchemaModel, tableIds: Set<string>): Promise<boolean> {
  for (const table of model.tables) {
    if (!tableIds.has(table.id)) continue
    const { rows } = await db.pool.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT FROM ${quoteQualifiedName(table.schema, table.name)}) AS found`,
    )
    if (rows[0]?.found) return true
  }
  return false
}
