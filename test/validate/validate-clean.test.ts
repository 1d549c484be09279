import assert from 'node:assert/strict'
import { test } from 'node:test'
import { syncSequences, sequencePairs } from '../../packages/core/src/sequences/index.js'
import { scopeSchemaModel } from '../../packages/core/src/schema/index.js'
import { resolveSelection } from '../../packages/core/src/selection/index.js'
import { introspectSchema } from '@pgshift/schema-diff'
import { migratedPair } from './validate-kit.js'

// A schema renamed, a table renamed with a filter and a renamed column, an excluded column, a
// composite key, a text key, a keyless table and a SERIAL sequence.
const SETUP = `
CREATE SCHEMA shop;
CREATE TABLE shop.customers (
  id serial PRIMARY KEY, name text NOT NULL, email text, note text, created_at timestamptz NOT NULL
);
INSERT INTO shop.customers (name, email, note, created_at)
SELECT 'customer ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'c' || g || '@example.com' END,
       'internal ' || g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour'
  FROM generate_series(1, 2000) g;
CREATE TABLE shop.orders (
  id bigint PRIMARY KEY, customer_id int NOT NULL, amount numeric(10,2) NOT NULL, status text NOT NULL
);
INSERT INTO shop.orders
SELECT g, 1 + g % 2000, (g * 7 % 10000) / 100.0, (ARRAY['paid', 'shipped', 'cancelled'])[1 + g % 3]
  FROM generate_series(1, 6000) g;
CREATE TABLE shop.order_lines (
  order_id bigint, line_no int, sku text NOT NULL, qty int NOT NULL, PRIMARY KEY (order_id, line_no)
);
INSERT INTO shop.order_lines
SELECT o, l, 'SKU-' || (o * l % 997), l FROM generate_series(1, 1500) o, generate_series(1, 3) l;
CREATE TABLE shop.countries (code text PRIMARY KEY, name text NOT NULL);
INSERT INTO shop.countries SELECT 'C' || lpad(g::text, 4, '0'), 'Country ' || g FROM generate_series(1, 3000) g;
CREATE TABLE shop.events (at timestamptz, payload jsonb);
INSERT INTO shop.events SELECT timestamptz '2024-01-01Z' + g * interval '1 min', jsonb_build_object('n', g)
  FROM generate_series(1, 500) g;
`

const SPEC = `objects:
  - schema: shop
    rename: shop_eu
    tables:
      - name: customers
        columns: { exclude: [note] }
      - name: orders
        rename: orders_archive
        where: "status <> 'cancelled'"
        columns: { rename: { amount: total_amount } }
      - name: order_lines
      - name: countries
      - name: events
options: { parallel: { tables: 3 } }`

test('a clean migration with renames, a filter, an excluded column and a keyless table validates equal', async (t) => {
  const pair = await migratedPair(t, SETUP, SPEC)
  // cutover's sequence step, so the SERIAL sequence is where the source's is
  const model = await introspectSchema(pair.source.kysely)
  const scoped = scopeSchemaModel(pair.spec, model, resolveSelection(pair.spec, model)).model
  await syncSequences(pair.source, pair.destination, sequencePairs(pair.spec, scoped))

  // small ranges, so every kind of key is cut: integer spans, sampled text and composite keys
  const report = await pair.validate({ rowsPerRange: 500 })
  assert.equal(report.status, 'equal', JSON.stringify(report, null, 2))
  assert.equal(report.rowHash, 'column-hash')
  const byId = new Map(report.tables.map((table) => [table.tableId, table]))
  assert.deepEqual([...byId.keys()], [
    'table:shop.countries',
    'table:shop.customers',
    'table:shop.events',
    'table:shop.order_lines',
    'table:shop.orders',
  ])
  const orders = byId.get('table:shop.orders')
  assert.equal(orders?.sourceRows, 4000, 'the filter applies to the source side')
  assert.equal(orders?.destinationRows, 4000)
  assert.deepEqual(orders?.destination, { schema: 'shop_eu', name: 'orders_archive' })
  assert.ok((orders?.ranges ?? 0) > 1, 'orders is cut into ranges')
  assert.ok((byId.get('table:shop.countries')?.ranges ?? 0) > 1, 'a text key is cut at sampled keys')
  assert.ok((byId.get('table:shop.order_lines')?.ranges ?? 0) > 1, 'a composite key is cut too')
  assert.deepEqual(byId.get('table:shop.order_lines')?.key, ['order_id', 'line_no'])
  assert.equal(byId.get('table:shop.events')?.ranges, 1, 'a keyless table is compared whole')
  assert.deepEqual(report.sequences, [
    { label: 'shop.customers_id_seq', sourceValue: '2000', destinationValue: '2000', status: 'equal' },
  ])

  // the CLI: exit 0 and every format
  const text = await pair.cli(['validate', '--spec', pair.specFile])
  assert.equal(text.code, 0, text.stdout + text.stderr)
  assert.match(text.stdout, /^pgshift validate validate-test: equal — 5 tables and 1 sequence equal$/m)
  assert.match(text.stdout, /^shop\.orders → shop_eu\.orders_archive +4,000 +4,000 +equal$/m)
  const json = await pair.cli(['validate', '--spec', pair.specFile, '--format', 'json'])
  assert.equal(json.code, 0, json.stderr)
  const parsed = JSON.parse(json.stdout) as { status: string; summary: unknown; tables: unknown[] }
  assert.equal(parsed.status, 'equal')
  assert.deepEqual(parsed.summary, { tables: 5, tablesDifferent: 0, sequences: 1, sequencesBehind: 0 })
  assert.deepEqual(Object.keys(parsed), ['migration', 'status', 'mode', 'rowHash', 'summary', 'tables', 'sequences', 'durationMs'])
  const markdown = await pair.cli(['validate', '--spec', pair.specFile, '--format', 'markdown'])
  assert.equal(markdown.code, 0, markdown.stderr)
  assert.match(markdown.stdout, /^### pgshift validate `validate-test`: equal$/m)
  assert.match(markdown.stdout, /^\| `shop\.orders → shop_eu\.orders_archive` \| 4,000 \| 4,000 \| equal \|$/m)

  // a changed row behind a composite key is found through the sampled and bisected ranges
  await pair.sql('destination', `UPDATE shop_eu.order_lines SET qty = qty + 1 WHERE order_id = 1234 AND line_no = 2`)
  const changed = await pair.validate({ rowsPerRange: 500, leafRows: 20 })
  const lines = changed.tables.find((table) => table.tableId === 'table:shop.order_lines')
  assert.equal(lines?.status, 'different')
  assert.deepEqual(lines?.differences, [
    { kind: 'changed', key: { order_id: '1234', line_no: '2' }, columns: [{ source: 'qty', destination: 'qty' }] },
  ])
  assert.equal(changed.tables.filter((table) => table.status !== 'equal').length, 1)
})
