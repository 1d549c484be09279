import assert from 'node:assert/strict'
import { test } from 'node:test'
import { prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import { withClient } from '../support/test-databases.js'
import { createDestinationSchema, createPair, loadSpec } from './copy-test-kit.js'

const SALES = `
  CREATE SCHEMA sales;
  CREATE TABLE sales.orders (
    id bigint PRIMARY KEY,
    customer text NOT NULL,
    amount numeric(12,2) NOT NULL,
    internal_note text,
    created_at timestamptz NOT NULL,
    amount_cents bigint GENERATED ALWAYS AS ((amount * 100)::bigint) STORED
  );
  INSERT INTO sales.orders (id, customer, amount, internal_note, created_at)
    SELECT i, 'customer ' || (i % 37), i * 1.25, repeat('secret ', 20), timestamptz '2023-07-01 00:00+00' + i * interval '1 hour'
      FROM generate_series(1, 12000) AS i;
  CREATE TABLE sales.events (at timestamptz NOT NULL, kind text, payload text) PARTITION BY RANGE (at);
  CREATE TABLE sales.events_2023 PARTITION OF sales.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
  CREATE TABLE sales.events_2024 PARTITION OF sales.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  INSERT INTO sales.events SELECT timestamptz '2023-12-01 00:00+00' + i * interval '1 hour', 'k' || (i % 3), 'p' || i
    FROM generate_series(1, 2000) AS i;
  CREATE TABLE sales.skipped (id int);
  INSERT INTO sales.skipped VALUES (1);
  ANALYZE;
`

test('where filters, column excludes and renames, table and schema renames, partitions: checked row by row', async (t) => {
  const pair = await createPair(t)
  await withClient(pair.sourceDb.url, (client) => client.query(SALES))
  const spec = await loadSpec(
    pair,
    `
objects:
  - schema: sales
    rename: sales_eu
    tables:
      - name: orders
        rename: orders_archive
        where: "created_at >= '2024-01-01' AND customer <> 'customer 3'"
        columns: { exclude: [internal_note], rename: { amount: total_amount } }
      - name: events
        where: "kind = 'k1'"
options: { parallel: { tables: 3, splitLargerThan: 128KiB } }
`,
  )
  await createDestinationSchema(pair, spec)
  const plan = await prepareCopyPlan(pair.source, pair.destination, spec)
  assert.deepEqual(
    plan.tables.map((table) => `${table.tableId} -> ${table.destination.schema}.${table.destination.name}`),
    [
      'table:sales.events_2023 -> sales_eu.events_2023',
      'table:sales.events_2024 -> sales_eu.events_2024',
      'table:sales.orders -> sales_eu.orders_archive',
    ],
  )
  const orders = plan.tables.find((table) => table.tableId === 'table:sales.orders')
  assert.deepEqual(
    orders?.columns.map((column) => `${column.sourceName}->${column.destinationName}`),
    ['id->id', 'customer->customer', 'amount->total_amount', 'created_at->created_at'],
  )
  assert.equal(orders?.split, 'key')
  const ranges = plan.units.filter((unit) => unit.tableId === 'table:sales.orders')
  assert.ok(ranges.length >= 3, `orders split into ${ranges.length} ranges`)
  assert.equal(ranges.find((unit) => unit.id.endsWith('#1/' + ranges.length))?.destinationPredicate?.startsWith('id < '), true)

  // two runs at once: one waits for the other's lock, then finds every unit done
  const runs = await Promise.all([runFullCopy({ ...pair, spec, plan }), runFullCopy({ ...pair, spec, plan })])
  const statuses = runs.map((run) => [...new Set(run.units.map((unit) => unit.status))].join()).sort()
  assert.deepEqual(statuses, ['copied', 'skipped'])

  const sourceOrders = await pair.source.pool.query(
    `SELECT id, customer, amount AS total_amount, created_at, amount_cents FROM sales.orders
      WHERE created_at >= '2024-01-01' AND customer <> 'customer 3' ORDER BY id`,
  )
  const destinationOrders = await pair.destination.pool.query(
    'SELECT id, customer, total_amount, created_at, amount_cents FROM sales_eu.orders_archive ORDER BY id',
  )
  assert.ok(sourceOrders.rows.length > 1000 && sourceOrders.rows.length < 12000)
  assert.deepEqual(destinationOrders.rows, sourceOrders.rows)
  const notes = await pair.destination.pool.query('SELECT count(*)::int AS n FROM sales_eu.orders_archive WHERE internal_note IS NOT NULL').catch((error: Error) => error)
  assert.ok(notes instanceof Error && /column "internal_note" does not exist/.test(notes.message), 'the excluded column is not in the destination')

  for (const partition of ['events_2023', 'events_2024']) {
    const source = await pair.source.pool.query(`SELECT * FROM sales.${partition} WHERE kind = 'k1' ORDER BY at`)
    const destination = await pair.destination.pool.query(`SELECT * FROM sales_eu.${partition} ORDER BY at`)
    assert.ok(source.rows.length > 0)
    assert.deepEqual(destination.rows, source.rows, partition)
  }
  const skipped = await pair.destination.pool.query('SELECT count(*)::int AS n FROM sales_eu.skipped').catch(() => ({ rows: [{ n: 0 }] }))
  assert.deepEqual(skipped.rows, [{ n: 0 }], 'tables not listed are not copied')
})
