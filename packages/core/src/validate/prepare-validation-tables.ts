import { introspectSchema, quoteQualifiedName } from '@pgshift/schema-diff'
import type { SchemaModel, TableDef } from '@pgshift/schema-diff'
import { planCopyUnits, readCopyFacts, selectCopyTables } from '../copy/index.js'
import type { TableToCopy } from '../copy/index.js'
import type { Database } from '../pg/index.js'
import { partitionRoot } from '../selection/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { findTableKey } from './find-table-key.js'
import type { QualifiedName } from './validation-report.js'
import type { ValidationTable } from './validation-table.js'

/** A table that cannot be compared row by row, and why. */
export interface UnusableTable {
  readonly tableId: string
  readonly source: QualifiedName
  readonly destination: QualifiedName
  /** missing: no destination table; different: its columns do not match the mapping. */
  readonly status: 'missing' | 'different'
  readonly note: string
}

/** Each selected table, ready to compare or not. */
export type PreparedTable =
  | { readonly ready: true; readonly table: ValidationTable }
  | { readonly ready: false; readonly table: UnusableTable }

// no table is "large" for the copy planner here: validation splits by rows, on its own terms
const NEVER_SPLIT = Number.MAX_SAFE_INTEGER

/**
 * The tables the copy moves (the spec's selection, partitions standing for their parent) as
 * validation compares them: the copy's column mapping and casts — so each side prints a value
 * the way the destination holds it — the source filter, and the key rows are named by. Reads
 * the source's schema (unless given) and both catalogs; sorted by table id.
 */
export async function prepareValidationTables(
  source: Database,
  destination: Database,
  spec: MigrationSpec,
  sourceModel?: SchemaModel,
): Promise<PreparedTable[]> {
  const model =
    sourceModel ?? (await introspectSchema(source.kysely, { schemas: spec.objects?.map((schema) => schema.schema) }))
  const selected = selectCopyTables(spec, model)
  const { rows } = await destination.pool.query<{ present: boolean }>(
    `SELECT to_regclass(r.name) IS NOT NULL AS present
       FROM unnest($1::text[]) WITH ORDINALITY AS r (name, ord) ORDER BY r.ord`,
    [selected.map((table) => quoteQualifiedName(table.destination.schema, table.destination.name))],
  )
  const present = selected.filter((_, index) => rows[index]?.present === true)
  const facts = await readCopyFacts(source, destination, present, { splitLargerThanBytes: NEVER_SPLIT })
  const byId = new Map(model.tables.map((table) => [table.id, table]))
  return selected.map((table, index): PreparedTable => {
    if (rows[index]?.present !== true) {
      const name = quoteQualifiedName(table.destination.schema, table.destination.name)
      return unusable(table, 'missing', `the destination has no table ${name}`)
    }
    let planned
    try {
      planned = planCopyUnits([table], facts, { splitLargerThanBytes: NEVER_SPLIT }).tables[0]
    } catch (error) {
      return unusable(table, 'different', (error as Error).message)
    }
    const definition = byId.get(table.tableId)
    if (planned === undefined || definition === undefined) {
      throw new Error(`${table.tableId} vanished from the source model`)
    }
    const columns = planned.columns.map((column) => ({
      source: column.sourceName,
      destination: column.destinationName,
      sourceExpression: column.expression,
      type: column.destinationType,
    }))
    const found = findTableKey(definition, partitionRoot(definition, byId), columns)
    return {
      ready: true,
      table: {
        tableId: table.tableId,
        source: table.source,
        destination: table.destination,
        columns,
        whereSql: table.whereSql,
        key: 'key' in found ? found.key : null,
        keylessReason: 'reason' in found ? found.reason : null,
        estimatedRows: planned.estimatedRows,
      },
    }
  })
}

function unusable(table: TableToCopy, status: UnusableTable['status'], note: string): PreparedTable {
  return {
    ready: false,
    table: { tableId: table.tableId, source: table.source, destination: table.destination, status, note },
  }
}

