// Shared set-up of the DDL capture tests: a source database with the capture installed for a
// scope, the captured rows read back as pgoutput delivers them (text), and table definitions
// to compare source and destination.
import type { TestContext } from 'node:test'
import { createPublication } from '../../../packages/core/src/incremental/create-publication.js'
import { decodeCapturedDdl, DdlScope, installDdlCapture } from '../../../packages/core/src/incremental/ddl/index.js'
import type { CapturedDdl, ScopedTable, WholeSchema } from '../../../packages/core/src/incremental/ddl/index.js'
import { createTestDatabase, withClient } from '../../support/test-databases.js'
import type { TestDatabase } from '../../support/test-databases.js'

export const MIGRATION = 'ddl-test'

/** A scope from a terse description: listed tables and whole schemas. */
export function scopeOf(options: {
  tables?: readonly (Partial<ScopedTable> & { schema: string; name: string })[]
  wholeSchemas?: readonly (Partial<WholeSchema> & { schema: string })[] | null
  schemaRenames?: Readonly<Record<string, string>>
}): DdlScope {
  const renames = options.schemaRenames ?? {}
  return new DdlScope({
    migration: MIGRATION,
    tables: (options.tables ?? []).map((table) => ({
      destinationSchema: renames[table.schema] ?? table.schema,
      destinationName: table.name,
      columns: { exclude: [], rename: {} },
      isListed: true,
      ...table,
    })),
    wholeSchemas:
      options.wholeSchemas === null
        ? null
        : (options.wholeSchemas ?? []).map((entry) => ({
            destinationSchema: renames[entry.schema] ?? entry.schema,
            exclude: [],
            ...entry,
          })),
    schemaRenames: renames,
  })
}

/** A source database holding `setupSql`, a publication of `published` and the capture for `scope`. */
export async function createCaptureSource(
  t: TestContext,
  setupSql: string,
  scope: DdlScope,
  published: readonly { schema: string; name: string }[] = scope.tables(),
): Promise<TestDatabase & { publication: string }> {
  const db = await createTestDatabase(t, 'source')
  const publication = db.name
  await withClient(db.url, async (client) => {
    if (setupSql !== '') await client.query(setupSql)
    await createPublication(client, publication, published)
    await installDdlCapture(client, { migration: MIGRATION, publication, scope })
  })
  return { ...db, publication }
}

/** The captured rows after `afterId`, read as text the way pgoutput delivers them. */
export async function capturedSince(url: string, afterId = 0n): Promise<CapturedDdl[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<Record<string, string | null>>(
      `SELECT id::text, migration, event, command_tag, object_type, object_identity, schema_name, statement,
              statement_ordinal::text, search_path, search_path_schemas::text, commands::text, capture_error,
              transaction_id::text, captured_at::text
         FROM pgshift.ddl_log WHERE id > $1 ORDER BY id`,
      [afterId.toString()],
    )
    return rows.map((row) => decodeCapturedDdl(row))
  })
}

/** Runs SQL (one query string) on a database. */
export function run(url: string, sql: string): Promise<void> {
  return withClient(url, async (client) => {
    await client.query(sql)
  })
}

/**
 * A table's definition in a form both sides can be compared by: columns (type, default, not
 * null), constraints and indexes, with the schema name taken out.
 */
export async function tableDefinition(url: string, schema: string, table: string): Promise<Record<string, unknown>> {
  return withClient(url, async (client) => {
    const strip = (text: string) => text.split(`${schema}.`).join('').split(`"${schema}".`).join('')
    const columns = await client.query(
      `SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
              pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default
         FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = pg_catalog.format('%I.%I', $1::text, $2::text)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [schema, table],
    )
    const constraints = await client.query<{ name: string; definition: string }>(
      `SELECT conname AS name, pg_catalog.pg_get_constraintdef(oid) AS definition FROM pg_catalog.pg_constraint
        WHERE conrelid = pg_catalog.format('%I.%I', $1::text, $2::text)::regclass ORDER BY conname`,
      [schema, table],
    )
    const indexes = await client.query<{ definition: string }>(
      `SELECT pg_catalog.pg_get_indexdef(indexrelid) AS definition FROM pg_catalog.pg_index
        WHERE indrelid = pg_catalog.format('%I.%I', $1::text, $2::text)::regclass ORDER BY 1`,
      [schema, table],
    )
    return {
      columns: columns.rows.map((row) => ({ ...row, default: row.default === null ? null : strip(row.default) })),
      constraints: constraints.rows.map((row) => `${row.name}: ${strip(row.definition)}`),
      indexes: indexes.rows.map((row) => strip(row.definition)),
    }
  })
}
