import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fingerprint } from '../copy/copy-test-kit.js'
import { withClient } from '../support/test-databases.js'
import { followNewPair, sourceLsn, waitApplied } from './follow-kit.js'

const SETUP = `
  CREATE TABLE public.items (id int PRIMARY KEY, name text NOT NULL, qty int DEFAULT 1, legacy text);
  INSERT INTO public.items SELECT g, 'item ' || g, g, 'old' FROM generate_series(1, 100) g;
  CREATE TABLE public.doomed (id int PRIMARY KEY);
  INSERT INTO public.doomed VALUES (1), (2);
`

// each step: DML, the DDL, DML that needs the DDL, in one transaction on the source
const STEPS = [
  `INSERT INTO items VALUES (1001, 'a', 1, 'x'); ALTER TABLE items ADD COLUMN color text; INSERT INTO items (id, name, color) VALUES (1002, 'b', 'red'); UPDATE items SET color = 'blue' WHERE id <= 10`,
  `UPDATE items SET qty = 5 WHERE id = 1; ALTER TABLE items ADD COLUMN rank int DEFAULT 7; INSERT INTO items (id, name) VALUES (1003, 'c'); UPDATE items SET rank = 8 WHERE id = 2`,
  `UPDATE items SET qty = 6 WHERE id = 3; ALTER TABLE items ALTER COLUMN qty TYPE bigint; INSERT INTO items (id, name, qty) VALUES (1004, 'd', 9000000000)`,
  `UPDATE items SET legacy = 'gone' WHERE id = 4; ALTER TABLE items DROP COLUMN legacy; UPDATE items SET name = 'dropped legacy' WHERE id = 4`,
  `ALTER TABLE items ADD CONSTRAINT items_name_key UNIQUE (name); INSERT INTO items (id, name) VALUES (1005, 'unique')`,
  `ALTER TABLE items ADD CONSTRAINT items_qty_check CHECK (qty >= 0); UPDATE items SET qty = 0 WHERE id = 5`,
  `ALTER TABLE items ALTER COLUMN rank DROP DEFAULT; INSERT INTO items (id, name) VALUES (1006, 'no rank')`,
  `CREATE INDEX items_color ON items (color); UPDATE items SET color = 'green' WHERE id = 6`,
  `INSERT INTO items (id, name) VALUES (1007, 'before rename'); ALTER TABLE items RENAME TO goods; INSERT INTO goods (id, name) VALUES (1008, 'after rename'); DELETE FROM goods WHERE id = 7`,
  `CREATE TABLE fresh (id int PRIMARY KEY, note text); INSERT INTO fresh VALUES (1, 'one'), (2, 'two'); UPDATE fresh SET note = 'TWO' WHERE id = 2`,
  `INSERT INTO doomed VALUES (3); DROP TABLE doomed`,
  `TRUNCATE fresh; INSERT INTO fresh VALUES (3, 'after truncate')`,
]

async function definitions(url: string, schema: string): Promise<unknown> {
  return withClient(url, async (client) => {
    const { rows } = await client.query(
      `SELECT c.relname,
              (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                                                 'notnull', a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid))
                               ORDER BY a.attname)
                 FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
              (SELECT json_agg(json_build_object('name', k.conname, 'def', pg_get_constraintdef(k.oid)) ORDER BY k.conname)
                 FROM pg_constraint k WHERE k.conrelid = c.oid) AS constraints,
              (SELECT json_agg(replace(pg_get_indexdef(i.indexrelid), $1 || '.', '') ORDER BY 1)
                 FROM pg_index i WHERE i.indrelid = c.oid) AS indexes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
      [schema],
    )
    return rows
  })
}

test('DDL during incremental: each supported statement is replayed at its place between DML on the same table, through a schema rename', async (t) => {
  const { pair, migration, follower } = await followNewPair(
    t,
    SETUP,
    `types: [schema, full, incremental]
objects:
  - schema: public
    rename: app
options: { ddl: true }`,
  )
  await withClient(pair.sourceDb.url, async (client) => {
    for (const step of STEPS) await client.query(`BEGIN; ${step}; COMMIT`)
  })
  await waitApplied(pair.destinationDb.url, migration, await sourceLsn(pair.sourceDb.url), { failed: follower.done, describe: follower.describe })
  await follower.stop()

  assert.deepEqual(await definitions(pair.destinationDb.url, 'app'), await definitions(pair.sourceDb.url, 'public'))
  for (const table of ['goods', 'fresh']) {
    assert.deepEqual(await fingerprint(pair.destinationDb.url, `app.${table}`), await fingerprint(pair.sourceDb.url, `public.${table}`), table)
  }
  const ddl = follower.events.filter((event) => event.type === 'incremental' && event.event.type === 'ddl')
  assert.ok(ddl.length >= STEPS.length - 2, `${ddl.length} DDL statements replayed`)
})

test('DDL during incremental: an unsupported statement on a selected table stops apply, naming it', async (t) => {
  const { pair, follower } = await followNewPair(t, SETUP, 'types: [schema, full, incremental]\noptions: { ddl: true }')
  await withClient(pair.sourceDb.url, async (client) => {
    await client.query(`CREATE SCHEMA elsewhere`)
    await client.query(`ALTER TABLE items SET SCHEMA elsewhere`)
  })
  await assert.rejects(follower.done, /SET SCHEMA/)
})
