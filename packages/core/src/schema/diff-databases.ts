import {
  applyMapping,
  diffSchemas,
  introspectSchema,
  loadSqlParser,
} from '@pgshift/schema-diff'
import type { MappingNote, NameMapping, Operation, SchemaModel } from '@pgshift/schema-diff'
import type { Database } from '../pg/index.js'
import { altersTablesWithRows } from './tables-holding-rows.js'

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
  const lockAware = await altersTablesWithRows(destination, destinationModel, plain)
  const operations = lockAware ? diffSchemas(destinationModel, mapped.model, { lockAware }) : plain
  return { source: sourceModel, destination: destinationModel, operations, lockAware, notes: mapped.notes }
}
