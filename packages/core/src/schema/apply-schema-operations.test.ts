import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { TestContext } from 'node:test'
import pg from 'pg'
import { createTestDatabase, withClient } from '../../../../test/support/test-databases.js'
import { openDatabase } from '../pg/index.js'
import type { Database } from '../pg/index.js'
import { ConnectionUrl } from '../spec/index.js'
import { applySchemaOperations, SchemaApplyError } from './apply-schema-operations.js'
import { diffDatabases } from './diff-databases.js'

async function pair(t: TestContext, sourceSql: string, destinationSql = '') {
  const source = await createTestDatabase(t, 'source')
  const destination = await createTestDatabase(t, 'destination')
  await withClient(source.url, (client) => client.query(sourceSql))
  if (destinationSql !== '') await withClient(destination.url, (client) => client.query(destinationSql))
  const sourceDb = await openDatabase(ConnectionUrl.parse(source.url), { role: 'source' })
  const destinationDb = await openDatabase(ConnectionUrl.parse(destination.url), { role: 'destination' })
  t.after(() => Promise.all([sourceDb.close(), destinationDb.close()]))
  return { source: sourceDb, destination: destinationDb }
}

async function query<T>(db: Database, sql: string): Promise<T[]> {
  return (await db.pool.query(sql)).rows as T[]
}

const SHOP = `
  CREATE SCHEMA sales;
  CREATE TABLE sales.customers (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);
  CREATE TABLE sales.orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES sales.customers ON DELETE CASCADE,
    amount numeric(12,2) NOT NULL CHECK (amount >= 0),
    internal_note text,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX orders_created ON sales.orders (created_at DESC) WHERE amount > 0;
  CREATE VIEW sales.big_orders AS
    SELECT o.id, o.amount, c.email FROM sales.orders o JOIN sales.customers c ON c.id = o.customer_id
    WHERE o.amount > 100;
  CREATE FUNCTION sales.touch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.created_at := now(); RETURN NEW; END $$;
  CREATE TRIGGER orders_touch BEFORE UPDATE ON sales.orders FOR EACH ROW EXECUTE FUNCTION sales.touch();
`

describe('applySchemaOperations', () => {
  test('parallel post-data: index and key builds spread over sessions, the rest in order, the same result', async (t) => {
    const tables = Array.from({ length: 6 }, (_, i) => `
      CREATE TABLE t${i} (id int PRIMARY KEY, parent int REFERENCES t${i}, label text UNIQUE, at date);
      CREATE INDEX t${i}_at ON t${i} (at);`).join('\n')
    const partitioned = `
      CREATE TABLE p (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE p_2024 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE INDEX p_at ON p (at);`
    const { source, destination } = await pair(t, tables + partitioned)
    const diff = await diffDatabases(source, destination)
    await applySchemaOperations(destination, diff.operations, { phase: 'pre-data' })
    await applySchemaOperations(destination, diff.operations, {
      phase: 'post-data',
      parallel: 3,
      // partitions share their root's group, as apply groups them
      groupOf: (id) => (id === 'table:public.p_2024' ? 'table:public.p' : id),
    })
    const again = await diffDatabases(source, destination)
    assert.deepEqual(again.operations.map((op) => `${op.kind} ${op.id}`), [], 'nothing left to do')
  })

  test('parallel post-data: the plain indexes of one table build side by side; partition indexes attach once built', async (t) => {
    const { source, destination } = await pair(t, `
      CREATE TABLE t (id int, a int, b int, c int);
      CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b); CREATE INDEX t_c ON t (c);
      CREATE TABLE p (id int, at date, k int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE p_1 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE p_2 PARTITION OF p FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE INDEX p_k ON p (k); CREATE INDEX p_at ON p (at);`)
    const diff = await diffDatabases(source, destination)
    await applySchemaOperations(destination, diff.operations, { phase: 'pre-data' })
    // a session holding t in EXCLUSIVE mode makes every build on t wait where pg_locks shows it
    const url = destination.url.reveal()
    const blocker = new pg.Client({ connectionString: url })
    await blocker.connect()
    await blocker.query('BEGIN')
    await blocker.query('LOCK TABLE t IN EXCLUSIVE MODE')
    // two sessions (the pool's size); default grouping, each table its own group: the
    // attaches must still wait for both of their indexes
    const applied = applySchemaOperations(destination, diff.operations, { phase: 'post-data', parallel: 2 })
    let waiting = 0
    try {
      for (let poll = 0; poll < 600 && waiting < 2; poll++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        const rows = await blocker.query<{ n: string }>(`
          SELECT count(*) AS n FROM pg_locks WHERE relation = 't'::regclass AND mode = 'ShareLock' AND NOT granted`)
        waiting = Number(rows.rows[0]?.n ?? 0)
      }
    } finally {
      await blocker.query('COMMIT')
      await blocker.end()
    }
    await applied
    assert.equal(waiting, 2, 'two index builds of t waited side by side')
    const again = await diffDatabases(source, destination)
    assert.deepEqual(again.operations.map((op) => `${op.kind} ${op.id}`), [], 'nothing left to do')
  })

  test('parallel post-data: the builds of the largest tables start first', async (t) => {
    const { source, destination } = await pair(t, `
      CREATE TABLE x (id int PRIMARY KEY); CREATE TABLE y (id int PRIMARY KEY); CREATE TABLE z (id int PRIMARY KEY);`)
    const diff = await diffDatabases(source, destination)
    await applySchemaOperations(destination, diff.operations, { phase: 'pre-data' })
    await destination.pool.query('INSERT INTO z SELECT generate_series(1, 50000)')
    const started: string[] = []
    await applySchemaOperations(destination, diff.operations, {
      phase: 'post-data',
      parallel: 2,
      onStatement: (statement) => started.push(statement.sql),
    })
    assert.match(started[0] ?? '', /z_pkey/, 'z, the only table holding rows, first')
  })

  test('parallel post-data: a failing build is reported; the others finish what they hold and start nothing new', async (t) => {
    const { source, destination } = await pair(t, `
      CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY);`)
    const diff = await diffDatabases(source, destination)
    await applySchemaOperations(destination, diff.operations, { phase: 'pre-data' })
    // a, the largest table, is built first; b, next, fails
    await destination.pool.query('INSERT INTO a SELECT generate_series(1, 10000); INSERT INTO b VALUES (1), (1)')
    await assert.rejects(
      applySchemaOperations(destination, diff.operations, { phase: 'post-data', parallel: 3 }),
      (error: unknown) => error instanceof SchemaApplyError && /could not create unique index "b_pkey"/.test(error.message),
    )
    const keys = await query<{ conname: string }>(destination, `SELECT conname FROM pg_constraint WHERE contype = 'p' AND connamespace = 'public'::regnamespace ORDER BY 1`)
    // a was held (or done) when b failed; c may or may not have been started by then (two sessions)
    assert.ok(keys.some((key) => key.conname === 'a_pkey'))
    assert.ok(!keys.some((key) => key.conname === 'b_pkey'))
  })

  test('pre-data builds what the copy needs, post-data the rest; then nothing is left', async (t) => {
    const { source, destination } = await pair(t, SHOP)
    const diff = await diffDatabases(source, destination)
    assert.equal(diff.lockAware, false)
    await applySchemaOperations(destination, diff.operations, { phase: 'pre-data' })
    const indexes = await query<{ n: string }>(
      destination,
      "SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'sales'",
    )
    assert.equal(indexes[0]?.n, '0', 'no index before the copy')
    await destination.pool.query(
      "INSERT INTO sales.customers (email) VALUES ('a@x'); INSERT INTO sales.orders (customer_id, amount) VALUES (1, 150)",
    )
    await applySchemaOperations(destination, diff.operations, { phase: 'post-data' })
    const view = await query<{ email: string }>(destination, 'SELECT email FROM sales.big_orders')
    assert.deepEqual(view, [{ email: 'a@x' }])
    const again = await diffDatabases(source, destination)
    assert.deepEqual(again.operations, [])
  })

  test('a failing statement names the operation and SQLSTATE and rolls back its transaction', async (t) => {
    const { source, destination } = await pair(
      t,
      'CREATE TABLE t (id int, code text); CREATE UNIQUE INDEX t_code ON t (code); CREATE INDEX t_id ON t (id)',
      "CREATE TABLE t (id int, code text); INSERT INTO t VALUES (1, 'dup'), (2, 'dup')",
    )
    const diff = await diffDatabases(source, destination)
    // the destination holds rows: indexes are built concurrently, outside transactions
    assert.equal(diff.lockAware, true)
    await assert.rejects(applySchemaOperations(destination, diff.operations), (error: unknown) => {
      assert.ok(error instanceof SchemaApplyError)
      assert.match(error.message, /^applying create_index/)
      assert.match(error.message, /SQLSTATE 23505/)
      assert.match(error.message, /statement: CREATE UNIQUE INDEX CONCURRENTLY/)
      return true
    })
    // fix the data and run again: the next diff picks up where the last one stopped
    await destination.pool.query("UPDATE t SET code = 'other' WHERE id = 2")
    const retry = await diffDatabases(source, destination)
    await applySchemaOperations(destination, retry.operations)
    assert.deepEqual((await diffDatabases(source, destination)).operations, [])
  })

  test('renames and column excludes from the spec reach the destination and converge', async (t) => {
    const { source, destination } = await pair(t, SHOP)
    const mapping = {
      schemas: { sales: 'sales_eu' },
      tables: [
        {
          schema: 'sales',
          name: 'orders',
          rename: 'orders_archive',
          excludeColumns: ['internal_note'],
          renameColumns: { amount: 'total_amount' },
        },
      ],
    }
    const diff = await diffDatabases(source, destination, {}, mapping)
    assert.deepEqual(diff.notes, [])
    await applySchemaOperations(destination, diff.operations)
    const columns = await query<{ column_name: string }>(
      destination,
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'sales_eu' AND table_name = 'orders_archive' ORDER BY ordinal_position",
    )
    assert.deepEqual(
      columns.map((column) => column.column_name),
      ['id', 'customer_id', 'total_amount', 'created_at'],
    )
    const view = await query<{ definition: string }>(
      destination,
      "SELECT pg_get_viewdef('sales_eu.big_orders'::regclass) AS definition",
    )
    assert.match(view[0]?.definition ?? '', /sales_eu\.orders_archive/)
    assert.match(view[0]?.definition ?? '', /total_amount AS amount/)
    const again = await diffDatabases(source, destination, {}, mapping)
    assert.deepEqual(again.operations, [])
  })
})
