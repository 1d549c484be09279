// Helpers for the introspection tests (real PostgreSQL, no mocks). Not exported from the package.
// Test databases come from test/support/test-databases.ts in the tests themselves: this file
// stays inside src/ so the package build (rootDir src) can compile it.
import assert from 'node:assert/strict'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { ObjectBase, SchemaModel, TableDef, TypeDef, ViewDef } from '../model/schema-model.js'
import { introspectSchema } from './introspect-schema.js'
import type { IntrospectOptions } from './introspect-schema.js'

/** A Kysely instance over a small pool for `url`; destroy it when done. */
export function openKysely(url: string): Kysely<any> {
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) })
}

/** Runs `fn` with a Kysely instance for `url`, and always destroys it. */
export async function withKysely<T>(url: string, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const db = openKysely(url)
  try {
    return await fn(db)
  } finally {
    await db.destroy()
  }
}

/** Runs SQL text (several statements allowed) on `url`. */
export async function execSql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {})
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** Introspects the database at `url`. */
export function introspectUrl(url: string, options?: IntrospectOptions): Promise<SchemaModel> {
  return withKysely(url, (db) => introspectSchema(db, options))
}

/** The object with `id` in `list`; fails the test when it is missing. */
export function byId<T extends { readonly id: string }>(list: readonly T[], id: string): T {
  const found = list.find((item) => item.id === id)
  assert.ok(found, `${id} not in [${list.map((item) => item.id).join(', ')}]`)
  return found
}

export function tableOf(model: SchemaModel, id: string): TableDef {
  return byId(model.tables, id)
}

export function viewOf(model: SchemaModel, id: string): ViewDef {
  return byId(model.views, id)
}

export function typeOf(model: SchemaModel, id: string): TypeDef {
  return byId(model.types, id)
}

/** The objects that carry dependsOn. */
export function objectsWithDependencies(model: SchemaModel): ObjectBase[] {
  return [
    ...model.collations,
    ...model.types,
    ...model.sequences,
    ...model.tables,
    ...model.views,
    ...model.functions,
  ]
}

/** A column definition with the defaults of a plain column (the shared model builder). */
export { column as plainColumn } from '../model/test-models.js'
