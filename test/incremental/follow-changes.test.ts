import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertSameData, fingerprint } from '../copy/copy-test-kit.js'
import { readMigrationStatus, renderStatusText } from '../../packages/core/src/status/index.js'
import { withClient } from '../support/test-databases.js'
import { followNewPair, sourceLsn, waitApplied } from './follow-kit.js'

const SETUP = `
  CREATE TABLE public.accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance numeric(12,2), note text, updated timestamptz);
  CREATE TABLE public.events (at timestamptz, kind text, payload jsonb);
  CREATE TABLE public.orders (id int PRIMARY KEY, region text NOT NULL, amount numeric, secret text);
  CREATE TABLE public.docs (id int PRIMARY KEY, title text, body text);
  ALTER TABLE public.docs ALTER COLUMN body SET STORAGE EXTERNAL;
  INSERT INTO public.accounts SELECT g, 'owner ' || g, g * 1.5, NULL, '2024-01-01 10:00:00.123456+00' FROM generate_series(1, 2000) g;
  INSERT INTO public.events SELECT '2024-01-01'::timestamptz + g * interval '1 microsecond', 'k' || (g % 3), jsonb_build_object('g', g) FROM generate_series(1, 500) g;
  INSERT INTO public.orders SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g, 's' FROM generate_series(1, 1000) g;
  INSERT INTO public.docs SELECT g, 'doc ' || g, repeat(md5(g::text), 200) FROM generate_series(1, 50) g;
  CREATE TABLE public.tagged (id int PRIMARY KEY, tag text NOT NULL, n int);
  ALTER TABLE public.tagged REPLICA IDENTITY FULL;
  INSERT INTO public.tagged SELECT g, CASE WHEN g % 3 = 0 THEN 'keep' ELSE 'skip' END, g FROM generate_series(1, 300) g;
`

test('incremental: inserts, updates (key changes, TOAST left alone), deletes, a truncate, a filter and a large transaction reach the destination exactly', async (t) => {
  const { pair, migration, follower } = await followNewPair(
    t,
    SETUP,
    `types: [schema, full, incremental]
objects:
  - schema: public
    tables:
      - name: accounts
      - name: events
      - name: docs
      - name: tagged
        where: "tag = 'keep'"
      - name: orders
        where: "region = 'eu'"
        columns: { exclude: [secret], rename: { amount: total } }
options: { parallel: { tables: 2 } }`,
  )

  await withClient(pair.sourceDb.url, async (client) => {
    await client.query(`INSERT INTO accounts VALUES (5001, 'new', 1.25, 'x', now())`)
    await client.query(`UPDATE accounts SET balance = balance + 1, updated = '2025-06-01 12:34:56.654321+02' WHERE id <= 100`)
    await client.query(`UPDATE accounts SET id = id + 100000 WHERE id BETWEEN 101 AND 110`)
    await client.query(`DELETE FROM accounts WHERE id BETWEEN 200 AND 260`)
    await client.query(`BEGIN; UPDATE accounts SET owner = 'twice' WHERE id = 300; UPDATE accounts SET owner = 'thrice', note = 'n' WHERE id = 300; DELETE FROM accounts WHERE id = 301; INSERT INTO accounts VALUES (301, 'back', 0, NULL, NULL); COMMIT`)
    // keyless table: replica identity FULL set by the migration
    await client.query(`UPDATE events SET kind = 'changed' WHERE kind = 'k1'`)
    await client.query(`DELETE FROM events WHERE kind = 'k2'`)
    await client.query(`INSERT INTO events VALUES (now(), 'new', '{"a": [1, 2.50, "x"]}')`)
    // TOASTed body untouched by updates of other columns, then changed
    await client.query(`UPDATE docs SET title = 'retitled ' || id WHERE id <= 25`)
    await client.query(`UPDATE docs SET body = repeat('z', 9000) WHERE id = 3`)
    // filter transitions: into and out of region = 'eu'
    await client.query(`UPDATE orders SET region = 'eu' WHERE id IN (1, 3, 5)`)
    await client.query(`UPDATE orders SET region = 'us' WHERE id IN (2, 4)`)
    await client.query(`UPDATE orders SET amount = amount * 10 WHERE id <= 20`)
    await client.query(`INSERT INTO orders VALUES (2001, 'eu', 1, 's'), (2002, 'us', 2, 's')`)
    await client.query(`DELETE FROM orders WHERE id IN (6, 7)`)
    // REPLICA IDENTITY FULL with a filter: rows enter and leave it, found by the destination's key
    await client.query(`UPDATE tagged SET tag = 'keep' WHERE id IN (1, 2, 4)`)
    await client.query(`UPDATE tagged SET tag = 'skip', n = -1 WHERE id IN (3, 6)`)
    await client.query(`UPDATE tagged SET n = n * 100 WHERE tag = 'keep'`)
    await client.query(`DELETE FROM tagged WHERE id IN (9, 10)`)
    // a large transaction
    await client.query(`INSERT INTO accounts SELECT g, 'bulk', g, NULL, now() FROM generate_series(200001, 300000) g`)
    await client.query(`TRUNCATE events`)
    await client.query(`INSERT INTO events VALUES ('2020-02-29 23:59:59.999999+00', 'after truncate', 'null')`)
  })
  await waitApplied(pair.destinationDb.url, migration, await sourceLsn(pair.sourceDb.url), { failed: follower.done, describe: follower.describe })
  const result = await follower.stop()
  assert.equal(result.incremental?.reason, 'signal')

  await assertSameData(pair, ['public.accounts', 'public.events', 'public.docs'])
  const [source, destination] = await Promise.all([
    withClient(pair.sourceDb.url, (client) =>
      client.query(`SELECT id, amount::text AS total FROM orders WHERE region = 'eu' ORDER BY id`),
    ),
    withClient(pair.destinationDb.url, (client) => client.query(`SELECT id, total::text AS total FROM orders ORDER BY id`)),
  ])
  assert.deepEqual(destination.rows, source.rows)
  assert.deepEqual(
    await fingerprint(pair.destinationDb.url, 'public.tagged'),
    await fingerprint(pair.sourceDb.url, `(SELECT * FROM public.tagged WHERE tag = 'keep')`),
  )
  const applied = follower.events.filter((event) => event.type === 'incremental' && event.event.type === 'batch-applied')
  assert.ok(applied.length > 0)
  const status = await readMigrationStatus(pair.destination, migration)
  assert.equal(status.incremental?.status, 'stopped')
  assert.ok((status.incremental?.changes ?? 0) > 100_000, `${status.incremental?.changes} changes`)
  assert.ok(status.incremental?.tables.some((table) => table.tableId === 'table:public.events' && table.truncates === 1))
  const text = renderStatusText(status)
  assert.match(text, /incremental: stopped/)
  assert.match(text, /applied [\d,]+ changes in [\d,]+ transactions/)
  assert.match(text, /public\.accounts: [\d,]+ inserts, [\d,]+ updates, [\d,]+ deletes/)
})
