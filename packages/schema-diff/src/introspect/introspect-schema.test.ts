import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { createTestDatabase, withClient } from '../../../../test/support/test-databases.js'
import type { SchemaModel } from '../model/schema-model.js'
import { introspectSchema } from './introspect-schema.js'
import {
  byId,
  execSql,
  introspectUrl,
  objectsWithDependencies,
  tableOf,
  typeOf,
  viewOf,
  withKysely,
} from './introspect-test-helpers.js'
import { topLevelIds } from '../model/top-level-objects.js'

const SELECTION_SQL = `
  CREATE SCHEMA a;
  CREATE SCHEMA b;
  CREATE SCHEMA pgshift;
  CREATE TABLE a.t (id integer PRIMARY KEY);
  CREATE TABLE b.t (id integer PRIMARY KEY);
  CREATE TABLE pgshift.checkpoints (id integer);
  CREATE VIEW a.joined AS SELECT a.t.id FROM a.t JOIN b.t USING (id);
  CREATE TABLE public.p (id integer);
`

/** Every list of the model, checked to be sorted by code unit and free of duplicates. */
function assertSortedById(model: SchemaModel): void {
  const lists: [string, readonly { readonly id: string }[]][] = [
    ['schemas', model.schemas],
    ['extensions', model.extensions],
    ['collations', model.collations],
    ['types', model.types],
    ['sequences', model.sequences],
    ['tables', model.tables],
    ['views', model.views],
    ['functions', model.functions],
  ]
  for (const [name, list] of lists) {
    for (let i = 1; i < list.length; i++) {
      const previous = list[i - 1]?.id ?? ''
      const current = list[i]?.id ?? ''
      assert.ok(previous < current, `${name} not sorted: ${previous} before ${current}`)
    }
  }
  for (const object of objectsWithDependencies(model)) {
    const sorted = [...new Set(object.dependsOn)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
    assert.deepEqual(object.dependsOn, sorted, `${object.id} dependsOn sorted and unique`)
  }
}

describe('introspectSchema', () => {
  test('schema selection: default, schemas, excludeSchemas; pgshift and system schemas left out', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(database.url, SELECTION_SQL)
    const names = (model: SchemaModel) => model.schemas.map((schema) => schema.name)

    const all = await introspectUrl(database.url)
    assert.deepEqual(names(all), ['a', 'b', 'public'])
    assert.deepEqual(all.tables.map((table) => table.id), ['table:a.t', 'table:b.t', 'table:public.p'])
    assert.deepEqual(viewOf(all, 'view:a.joined').dependsOn, ['schema:a', 'table:a.t', 'table:b.t'])

    const onlyA = await introspectUrl(database.url, { schemas: ['a', 'no_such_schema'] })
    assert.deepEqual(names(onlyA), ['a'])
    assert.deepEqual(onlyA.tables.map((table) => table.id), ['table:a.t'])
    // b is not selected: the dependency on b.t is left out
    assert.deepEqual(viewOf(onlyA, 'view:a.joined').dependsOn, ['schema:a', 'table:a.t'])

    const notB = await introspectUrl(database.url, { excludeSchemas: ['b'] })
    assert.deepEqual(names(notB), ['a', 'public'])

    assert.deepEqual(names(await introspectUrl(database.url, { schemas: ['a', 'b'], excludeSchemas: ['b'] })), ['a'])
    // asked for by name, pgshift's schema is introspected like any other; system schemas never
    assert.deepEqual(names(await introspectUrl(database.url, { schemas: ['pgshift', 'pg_catalog', 'information_schema'] })), [
      'pgshift',
    ])
    assert.deepEqual(await introspectUrl(database.url, { schemas: [] }), {
      serverVersion: all.serverVersion,
      schemas: [],
      extensions: [],
      collations: [],
      types: [],
      sequences: [],
      tables: [],
      views: [],
      functions: [],
    })
  })

  test('serverVersion, read-only transaction, and the session settings are left as they were', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(database.url, 'CREATE TABLE t (id integer)')
    const expected = await withClient(database.url, async (client) => {
      const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")
      return Number(rows[0]?.v)
    })
    await withKysely(database.url, async (db) => {
      // one connection, so the settings checked afterwards are the ones introspection ran with
      const model = await introspectSchema(db)
      assert.equal(model.serverVersion, expected)
      assert.ok(model.serverVersion >= 120000)
      const { rows } = await db.connection().execute(async (connection) => {
        await introspectSchema(connection)
        return sql<{ search_path: string; nestloop: string }>`
          SELECT current_setting('search_path') AS search_path, current_setting('enable_nestloop') AS nestloop
        `.execute(connection)
      })
      assert.deepEqual(rows[0]?.search_path, '"$user", public')
      assert.equal(rows[0]?.nestloop, 'on')
    })
    // what ran: one read-only repeatable-read transaction, and nothing that writes
    const statements: string[] = []
    const logged = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 1 }) }),
      log: (event) => {
        statements.push(event.query.sql)
      },
    })
    try {
      await introspectSchema(logged)
    } finally {
      await logged.destroy()
    }
    assert.equal(statements[0], 'start transaction isolation level repeatable read read only')
    assert.equal(statements.at(-1), 'commit')
    for (const statement of statements.slice(1, -1)) {
      assert.match(statement, /^\s*SELECT\b/, statement)
      // string literals aside: the aggregate query spells out 'CREATE AGGREGATE' as text
      const code = statement.replace(/'(?:[^']|'')*'/g, "''")
      assert.doesNotMatch(code, /\b(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE)\b/i, statement)
    }
  })

  test('deterministic: twice the same model, JSON-identical, every list sorted by code unit', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      ${SELECTION_SQL}
      CREATE SCHEMA "Z";
      CREATE SCHEMA "_x";
      CREATE TABLE "Z"."B" (id integer);
      CREATE TABLE "Z".a (id integer);
      CREATE TABLE "Z"."Ä" (id integer);
      CREATE TABLE "_x"."🚀" (id integer);
      CREATE TYPE a.e AS ENUM ('z', 'a', 'Z');
      CREATE FUNCTION a.f(integer) RETURNS integer LANGUAGE sql AS 'SELECT 1';
      CREATE FUNCTION a.f(text) RETURNS integer LANGUAGE sql AS 'SELECT 1';
      CREATE FUNCTION a.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';
      `,
    )
    const first = await introspectUrl(database.url)
    const second = await introspectUrl(database.url)
    assert.deepEqual(second, first)
    assert.equal(JSON.stringify(second), JSON.stringify(first))
    assertSortedById(first)
    assert.deepEqual(first.schemas.map((schema) => schema.id), [
      'schema:"Z"',
      'schema:_x',
      'schema:a',
      'schema:b',
      'schema:public',
    ])
    assert.deepEqual(
      first.tables.filter((table) => table.schema === 'Z').map((table) => table.id),
      // by id: quoted names ('"' is 0x22) before bare ones
      ['table:"Z"."B"', 'table:"Z"."Ä"', 'table:"Z".a'],
    )
    assert.deepEqual(first.functions.map((fn) => fn.id), [
      'function:a.f()',
      'function:a.f(integer)',
      'function:a.f(text)',
    ])
    const e = typeOf(first, 'type:a.e')
    assert.deepEqual(e.kind === 'enum' && e.labels, ['z', 'a', 'Z'])
  })

  test('comments on every kind of object', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE SCHEMA s;
      COMMENT ON SCHEMA s IS 'schema';
      CREATE COLLATION s.coll (provider = libc, locale = 'C');
      COMMENT ON COLLATION s.coll IS 'collation';
      CREATE TYPE s.e AS ENUM ('x');
      COMMENT ON TYPE s.e IS 'enum';
      CREATE DOMAIN s.d AS integer;
      COMMENT ON DOMAIN s.d IS 'domain';
      CREATE SEQUENCE s.seq;
      COMMENT ON SEQUENCE s.seq IS 'sequence';
      CREATE TABLE s.t (id integer CONSTRAINT t_pk PRIMARY KEY, v text);
      COMMENT ON TABLE s.t IS 'table';
      COMMENT ON COLUMN s.t.v IS 'column';
      COMMENT ON CONSTRAINT t_pk ON s.t IS 'constraint';
      CREATE INDEX t_v ON s.t (v);
      COMMENT ON INDEX s.t_v IS 'index';
      CREATE FUNCTION s.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      COMMENT ON FUNCTION s.f() IS 'function';
      CREATE PROCEDURE s.p() LANGUAGE sql AS 'SELECT 1';
      COMMENT ON PROCEDURE s.p() IS 'procedure';
      CREATE TRIGGER tg BEFORE INSERT ON s.t FOR EACH ROW EXECUTE FUNCTION s.f();
      COMMENT ON TRIGGER tg ON s.t IS 'trigger';
      CREATE POLICY pol ON s.t USING (true);
      COMMENT ON POLICY pol ON s.t IS 'policy';
      CREATE VIEW s.v AS SELECT v FROM s.t;
      COMMENT ON VIEW s.v IS 'view';
      COMMENT ON COLUMN s.v.v IS 'view column';
      CREATE MATERIALIZED VIEW s.m AS SELECT v FROM s.t;
      COMMENT ON MATERIALIZED VIEW s.m IS 'materialized view';
      CREATE EXTENSION citext SCHEMA s;
      COMMENT ON EXTENSION citext IS 'extension';
      `,
    )
    const model = await introspectUrl(database.url, { schemas: ['s'] })
    const table = tableOf(model, 'table:s.t')
    assert.deepEqual(
      {
        schema: byId(model.schemas, 'schema:s').comment,
        collation: byId(model.collations, 'collation:s.coll').comment,
        enum: typeOf(model, 'type:s.e').comment,
        domain: typeOf(model, 'type:s.d').comment,
        sequence: byId(model.sequences, 'sequence:s.seq').comment,
        table: table.comment,
        column: table.columns.map((column) => column.comment),
        constraint: table.constraints.map((constraint) => constraint.comment),
        index: table.indexes.map((index) => index.comment),
        trigger: table.triggers.map((trigger) => trigger.comment),
        policy: table.policies.map((policy) => policy.comment),
        function: byId(model.functions, 'function:s.f()').comment,
        procedure: byId(model.functions, 'function:s.p()').comment,
        view: viewOf(model, 'view:s.v').comment,
        viewColumns: viewOf(model, 'view:s.v').columnComments,
        materialized: viewOf(model, 'view:s.m').comment,
        extension: byId(model.extensions, 'extension:citext').comment,
      },
      {
        schema: 'schema',
        collation: 'collation',
        enum: 'enum',
        domain: 'domain',
        sequence: 'sequence',
        table: 'table',
        column: [null, 'column'],
        constraint: ['constraint'],
        index: ['index'],
        trigger: ['trigger'],
        policy: ['policy'],
        function: 'function',
        procedure: 'procedure',
        view: 'view',
        viewColumns: { v: 'view column' },
        materialized: 'materialized view',
        extension: 'extension',
      },
    )
    for (const object of objectsWithDependencies(model)) {
      for (const id of object.dependsOn) assert.ok(topLevelIds(model).has(id), `${object.id} → ${id}`)
    }
  })
})
