import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createTestDatabase } from '../../../../test/support/test-databases.js'
import { byId, execSql, introspectUrl, tableOf, typeOf, viewOf } from './introspect-test-helpers.js'

describe('introspect dependencies and extensions', () => {
  test('chains through defaults, views, domains, row types and identity sequences', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TYPE status AS ENUM ('new', 'done');
      CREATE DOMAIN open_status AS status CHECK (VALUE <> 'done');
      CREATE SEQUENCE ticket_numbers;
      CREATE FUNCTION next_ticket() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('ticket_numbers') $$;
      CREATE TABLE tickets (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        no bigint DEFAULT next_ticket(),
        state open_status
      );
      CREATE VIEW open_tickets AS SELECT id, no, state FROM tickets;
      CREATE VIEW open_ticket_numbers AS SELECT no FROM open_tickets;
      CREATE FUNCTION first_ticket() RETURNS tickets LANGUAGE sql AS $$ SELECT * FROM tickets LIMIT 1 $$;
      CREATE VIEW identity_peek AS SELECT last_value FROM tickets_id_seq;
      `,
    )
    const model = await introspectUrl(database.url)
    assert.deepEqual(typeOf(model, 'type:public.open_status').dependsOn, ['schema:public', 'type:public.status'])
    // a function body is not tracked by PostgreSQL (only SQL-standard bodies are): nothing on the sequence
    assert.deepEqual(byId(model.functions, 'function:public.next_ticket()').dependsOn, ['schema:public'])
    assert.deepEqual(tableOf(model, 'table:public.tickets').dependsOn, [
      'function:public.next_ticket()',
      'schema:public',
      'type:public.open_status',
    ])
    assert.deepEqual(viewOf(model, 'view:public.open_tickets').dependsOn, [
      'schema:public',
      'table:public.tickets',
      'type:public.open_status',
    ])
    assert.deepEqual(viewOf(model, 'view:public.open_ticket_numbers').dependsOn, [
      'schema:public',
      'view:public.open_tickets',
    ])
    assert.deepEqual(byId(model.functions, 'function:public.first_ticket()').dependsOn, [
      'schema:public',
      'table:public.tickets',
    ])
    // the identity sequence is part of its table
    assert.deepEqual(viewOf(model, 'view:public.identity_peek').dependsOn, ['schema:public', 'table:public.tickets'])
  })

  test('extension members are not listed; users of their types, functions and operator classes depend on the extension', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE EXTENSION citext;
      COMMENT ON EXTENSION citext IS 'case-insensitive text';
      CREATE SCHEMA ext;
      CREATE EXTENSION pg_trgm SCHEMA ext;
      CREATE SCHEMA unused;
      CREATE EXTENSION hstore SCHEMA unused;
      CREATE SCHEMA owned;
      ALTER EXTENSION citext ADD SCHEMA owned;
      CREATE DOMAIN email AS citext CHECK (VALUE LIKE '%@%');
      CREATE TABLE users (id integer PRIMARY KEY, login citext, aliases citext[], contact email, bio text);
      CREATE INDEX users_bio_trgm ON users USING gin (bio ext.gin_trgm_ops);
      CREATE VIEW similar_bios AS SELECT ext.similarity(bio, 'x') AS s FROM users;
      CREATE VIEW logins AS SELECT login FROM users;
      `,
    )
    const model = await introspectUrl(database.url, { schemas: ['public', 'owned'] })
    // 'owned' was explicitly asked for; by default a schema an extension owns is not selected
    assert.deepEqual(
      (await introspectUrl(database.url)).schemas.map((schema) => schema.name),
      ['ext', 'public', 'unused'],
    )
    assert.deepEqual(model.types.map((type) => type.id), ['type:public.email'])
    assert.deepEqual(model.functions, [])
    assert.deepEqual(typeOf(model, 'type:public.email').dependsOn, ['extension:citext', 'schema:public'])
    const users = tableOf(model, 'table:public.users')
    assert.deepEqual(users.columns.map((column) => column.type), [
      'integer',
      'public.citext',
      'public.citext[]',
      'public.email',
      'text',
    ])
    assert.deepEqual(users.dependsOn, ['extension:citext', 'extension:pg_trgm', 'schema:public', 'type:public.email'])
    assert.deepEqual(viewOf(model, 'view:public.similar_bios').dependsOn, [
      'extension:pg_trgm',
      'schema:public',
      'table:public.users',
    ])
    // a citext output column
    assert.deepEqual(viewOf(model, 'view:public.logins').dependsOn, [
      'extension:citext',
      'schema:public',
      'table:public.users',
    ])
    // citext: its schema is selected; pg_trgm: used; hstore: neither
    assert.deepEqual(model.extensions, [
      {
        id: 'extension:citext',
        name: 'citext',
        schema: 'public',
        version: byId(model.extensions, 'extension:citext').version,
        comment: 'case-insensitive text',
      },
      {
        id: 'extension:pg_trgm',
        name: 'pg_trgm',
        schema: 'ext',
        version: byId(model.extensions, 'extension:pg_trgm').version,
        comment: 'text similarity measurement and index searching based on trigrams',
      },
    ])
    assert.match(byId(model.extensions, 'extension:citext').version, /^\d+\.\d+$/)
  })
})
