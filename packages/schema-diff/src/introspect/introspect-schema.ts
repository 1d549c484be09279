import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { objectKindOf } from '../model/object-id.js'
import type { ObjectBase, ObjectId, SchemaModel } from '../model/schema-model.js'
import { queryCatalog, sortByKey } from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { Draft, WithoutDependencies } from './draft.js'
import { introspectCollations } from './introspect-collations.js'
import { introspectColumns } from './introspect-columns.js'
import { introspectConstraints } from './introspect-constraints.js'
import { introspectDependencies } from './introspect-dependencies.js'
import type { Dependencies } from './introspect-dependencies.js'
import { introspectFunctions } from './introspect-functions.js'
import { introspectIndexes } from './introspect-indexes.js'
import { introspectPolicies } from './introspect-policies.js'
import { introspectExtensions, selectSchemas } from './introspect-schemas.js'
import type { SchemaSelection } from './introspect-schemas.js'
import { introspectSequences } from './introspect-sequences.js'
import { buildTables, queryTables } from './introspect-tables.js'
import { introspectTriggers } from './introspect-triggers.js'
import { introspectTypes } from './introspect-types.js'
import { buildViews, queryViews } from './introspect-views.js'

/** Options of {@link introspectSchema}. */
export type IntrospectOptions = SchemaSelection

/**
 * Session settings pinned for the transaction. Most change how PostgreSQL prints definitions
 * (set_config(..., true) is SET LOCAL): an empty search_path makes every pg_get_*def, format_type
 * and regclass schema-qualify user objects (`public.mood`, `REFERENCES sales.customers(id)`), and
 * the date, time and number settings make constants in defaults, partition bounds and view
 * definitions print the same on every server, whatever its configuration (a timestamptz
 * constant prints in the session's TimeZone).
 */
const PINNED_SETTINGS: readonly (readonly [string, string])[] = [
  ['search_path', ''],
  ['DateStyle', 'ISO, YMD'],
  ['IntervalStyle', 'postgres'],
  ['TimeZone', 'UTC'],
  ['extra_float_digits', '3'],
  ['bytea_output', 'hex'],
  ['quote_all_identifiers', 'off'],
  // Right after a schema is created (a restore, a migration, a test), autovacuum has not yet
  // analyzed the catalogs: the planner then thinks pg_depend holds no user rows and nests loops
  // over CTEs, which made the dependency query quadratic (52 s instead of 0.2 s for 2,000
  // tables). Hash and merge joins keep every catalog query linear whatever the statistics say.
  ['enable_nestloop', 'off'],
]

/**
 * Reads the schema of the database behind `db` into a {@link SchemaModel}.
 *
 * Everything is read in one REPEATABLE READ READ ONLY transaction, so the model is one
 * consistent picture even while DDL runs elsewhere, and nothing is written. Each object kind is
 * one catalog query for the whole database (never one per table), so the time grows with the
 * size of the schema, not with round trips.
 *
 * Selection: by default every schema except the system ones (pg_catalog, information_schema,
 * pg_toast*, pg_temp_*), pgshift's own `pgshift` schema, and schemas created by an extension;
 * `schemas` picks schemas by name instead (system schemas still never), `excludeSchemas` takes
 * schemas away. Objects that belong to an extension are never listed; the model lists the
 * extensions whose schema is selected or that a selected object depends on.
 *
 * Every array is sorted by `id` (code-unit order, not locale), so introspecting the same
 * database twice gives deep-equal, JSON-identical models.
 *
 * @example
 * ```ts
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
 * const model = await introspectSchema(db, { schemas: ['sales'] })
 * ```
 */
export async function introspectSchema(db: Kysely<any>, options: IntrospectOptions = {}): Promise<SchemaModel> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => introspectInTransaction(trx, options))
}

async function introspectInTransaction(db: Kysely<any>, options: IntrospectOptions): Promise<SchemaModel> {
  const pins = PINNED_SETTINGS.map(([name, value]) => sql`pg_catalog.set_config(${name}, ${value}, true)`)
  await sql`SELECT ${sql.join(pins)}`.execute(db)
  const [version] = await queryCatalog<{ number: number }>(
    db,
    sql`SELECT pg_catalog.current_setting('server_version_num')::int AS number`,
  )
  if (version === undefined) throw new Error('introspection: could not read server_version_num')
  const serverVersion = version.number

  const schemas = await selectSchemas(db, options)
  const context: CatalogContext = { db, serverVersion, namespaceOids: schemas.map((schema) => schema.oid) }

  // One connection, one transaction: the queries run one after the other.
  const extensions = await introspectExtensions(db)
  const collations = await introspectCollations(context)
  const types = await introspectTypes(context)
  const sequences = await introspectSequences(context)
  const functions = await introspectFunctions(context)
  const tableRows = await queryTables(context)
  const viewRows = await queryViews(context)
  const columns = await introspectColumns(context)
  const parts = {
    columns,
    constraints: await introspectConstraints(context),
    indexes: await introspectIndexes(context),
    triggers: await introspectTriggers(context),
    policies: await introspectPolicies(context),
  }
  const tables = buildTables(tableRows, parts)
  const views = buildViews(viewRows, parts)

  const relations = new Map<number, ObjectId>()
  for (const object of [...tables, ...views, ...sequences]) relations.set(object.oid, object.def.id)
  // dependencies on an identity sequence (nextval in a view, say) are dependencies on its table
  for (const table of tables) {
    for (const column of columns.get(table.oid) ?? []) {
      if (column.identity_sequence !== null) relations.set(column.identity_sequence.oid, table.def.id)
    }
  }
  const dependencies = await introspectDependencies(context, {
    relations,
    types: idsByOid(types),
    functions: idsByOid(functions),
    collations: idsByOid(collations),
    schemas: new Map(schemas.map((schema) => [schema.oid, schema.def.id])),
    extensions: new Map(extensions.map((extension) => [extension.oid, extension.def.id])),
  })

  const selectedSchemaNames = new Set(schemas.map((schema) => schema.def.name))
  const usedExtensions = new Set<ObjectId>()
  for (const list of dependencies.values()) {
    for (const id of list) if (objectKindOf(id) === 'extension') usedExtensions.add(id)
  }

  return {
    serverVersion,
    schemas: sortByKey(
      schemas.map((schema) => schema.def),
      (schema) => schema.id,
    ),
    extensions: sortByKey(
      extensions
        .map((extension) => extension.def)
        .filter((extension) => selectedSchemaNames.has(extension.schema) || usedExtensions.has(extension.id)),
      (extension) => extension.id,
    ),
    collations: finish(collations, dependencies),
    types: finish(types, dependencies),
    sequences: finish(sequences, dependencies),
    tables: finish(tables, dependencies),
    views: finish(views, dependencies),
    functions: finish(functions, dependencies),
  }
}

function idsByOid(drafts: readonly Draft<ObjectBase>[]): Map<number, ObjectId> {
  return new Map(drafts.map((draft) => [draft.oid, draft.def.id]))
}

/** Adds dependsOn to each draft and sorts by id. */
function finish<T extends ObjectBase>(drafts: readonly Draft<T>[], dependencies: Dependencies): T[] {
  const defs = drafts.map((draft) => withDependencies<T>(draft.def, dependencies.get(draft.def.id) ?? []))
  return sortByKey(defs, (def) => def.id)
}

function withDependencies<T extends ObjectBase>(def: WithoutDependencies<T>, dependsOn: readonly ObjectId[]): T {
  return { ...def, dependsOn } as unknown as T
}
