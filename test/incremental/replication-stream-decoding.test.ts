import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PgoutputMessage } from '../../packages/core/src/incremental/pgoutput/index.js'
import { openReplicationStream } from '../../packages/core/src/incremental/replication-stream.js'
import type { ReplicationMessageItem } from '../../packages/core/src/incremental/replication-stream.js'
import { commitOf, createReplicationSource, readTransaction, runSql, texts } from './replication-test-kit.js'

const TYPES_SQL = `
  CREATE TABLE t1 (
    id int PRIMARY KEY, ts timestamptz, n numeric, j json, jb jsonb, b bytea, ints int[], words text[],
    s text, e text, f float8, iv interval, d date, u text
  );
  CREATE TABLE t2 (id bigint PRIMARY KEY, v text);
  CREATE TABLE unpublished (id int PRIMARY KEY);
`
const TABLES = [
  { schema: 'public', name: 't1' },
  { schema: 'public', name: 't2' },
]

const TRANSACTION = String.raw`
  BEGIN;
  SELECT txid_current()::text AS xid;
  INSERT INTO t1 VALUES (1, '2024-02-03 11:00:00.123456+01', 12345678901234567890.123456789012345678901234567890,
    '{"a": 1.0, "b": [1.0, 2.50]}', '{"a": 1.0}', '\x00ff10', '{1,2,NULL}', '{"a b",c,"d,e",NULL,""}',
    NULL, '', 0.1, '1 day 02:03:04.5', '2024-02-29', 'žluťoučký 🐘');
  INSERT INTO t2 VALUES (9007199254740993, 'x');
  INSERT INTO unpublished VALUES (1);
  UPDATE t1 SET s = 'now set' WHERE id = 1;
  DELETE FROM t2 WHERE id = 9007199254740993;
  SELECT pg_logical_emit_message(true, 'pgshift-test', 'inside');
  TRUNCATE t1, t2;
  COMMIT;
`

const T1_ROW = [
  '1',
  '2024-02-03 10:00:00.123456+00',
  '12345678901234567890.123456789012345678901234567890',
  '{"a": 1.0, "b": [1.0, 2.50]}',
  '{"a": 1.0}',
  '\\x00ff10',
  '{1,2,NULL}',
  '{"a b",c,"d,e",NULL,""}',
  null,
  '',
  '0.1',
  '1 day 02:03:04.5',
  '2024-02-29',
  'žluťoučký 🐘',
]

for (const protocolVersion of [2, 1] as const) {
  test(`protocol ${protocolVersion}: a multi-statement transaction arrives in order, values exactly as the server's text`, async (t) => {
    const source = await createReplicationSource(t, TYPES_SQL, TABLES)
    const [ids] = await runSql<{ t1: number; t2: number }>(source, "SELECT 't1'::regclass::oid::int AS t1, 't2'::regclass::oid::int AS t2")
    assert.ok(ids)
    const stream = await openReplicationStream(source.url, {
      slot: source.slot,
      publications: [source.publication],
      protocolVersion,
      messages: true,
    })
    t.after(() => stream.close())
    assert.equal(stream.protocolVersion, protocolVersion)
    assert.equal(stream.streaming, protocolVersion === 2)

    const rows = await runSql<{ xid?: string; lsn?: string }>(source, TRANSACTION)
    const xid = Number(rows.find((row) => row.xid !== undefined)?.xid)
    const items = await readTransaction(stream)
    const all = items.map((item) => item.message)
    // a Relation comes before a table's first change and again whenever the server's cache of
    // it was invalidated (TRUNCATE, or another session's catalog change): anywhere, any number
    const relations = all.filter((message) => message.kind === 'relation')
    const messages = all.filter((message) => message.kind !== 'relation')
    assert.deepEqual(
      messages.map((message) => message.kind),
      ['begin', 'insert', 'insert', 'update', 'delete', 'message', 'truncate', 'commit'],
    )
    const [begin, insert1, insert2, update, remove, logical, truncate, commit] = messages
    const announced = new Set<number>()
    for (const message of all) {
      if (message.kind === 'relation') announced.add(message.relationOid)
      if (message.kind === 'insert' || message.kind === 'update' || message.kind === 'delete') {
        assert.ok(announced.has(message.relationOid), `relation ${message.relationOid} announced before its change`)
      }
    }
    const relation1 = relations.find((message) => message.name === 't1')
    const relation2 = relations.find((message) => message.name === 't2')
    for (const relation of relations) assert.deepEqual(relation, relation.name === 't1' ? relation1 : relation2)
    assert.ok(begin?.kind === 'begin' && commit?.kind === 'commit')
    assert.equal(begin.xid, xid)
    assert.equal(begin.finalLsn, commit.commitLsn)
    assert.equal(begin.commitTime, commit.commitTime)
    assert.ok(commit.endLsn > commit.commitLsn)
    // the commit's frame starts at its end LSN: the position a consumer acknowledges
    assert.equal(items.at(-1)?.walStart, commit.endLsn)

    assert.deepEqual(relation1, {
      kind: 'relation',
      xid: null,
      relationOid: ids.t1,
      schema: 'public',
      name: 't1',
      replicaIdentity: 'default',
      columns: [
        ['id', 23],
        ['ts', 1184],
        ['n', 1700],
        ['j', 114],
        ['jb', 3802],
        ['b', 17],
        ['ints', 1007],
        ['words', 1009],
        ['s', 25],
        ['e', 25],
        ['f', 701],
        ['iv', 1186],
        ['d', 1082],
        ['u', 25],
      ].map(([name, typeOid]) => ({ name, isKey: name === 'id', flags: name === 'id' ? 1 : 0, typeOid, typeMod: -1 })),
    })
    assert.ok(insert1?.kind === 'insert' && insert1.relationOid === ids.t1)
    assert.deepEqual(texts(insert1.new), T1_ROW)
    assert.ok(relation2?.kind === 'relation' && relation2.relationOid === ids.t2)
    assert.ok(insert2?.kind === 'insert' && insert2.relationOid === ids.t2)
    assert.deepEqual(texts(insert2.new), ['9007199254740993', 'x'])

    assert.ok(update?.kind === 'update' && update.relationOid === ids.t1)
    assert.equal(update.key, null)
    assert.equal(update.old, null)
    assert.deepEqual(texts(update.new), T1_ROW.map((value, index) => (index === 8 ? 'now set' : value)))

    assert.ok(remove?.kind === 'delete' && remove.relationOid === ids.t2)
    assert.deepEqual(texts(remove.key), ['9007199254740993', null])
    assert.equal(remove.old, null)

    assert.ok(logical?.kind === 'message')
    assert.equal(logical.transactional, true)
    assert.equal(logical.prefix, 'pgshift-test')
    assert.equal(logical.content.toString(), 'inside')

    assert.deepEqual(truncate, {
      kind: 'truncate',
      xid: null,
      cascade: false,
      restartIdentity: false,
      relationOids: [ids.t1, ids.t2],
    })
    assert.equal(commitOf(items).endLsn, commit.endLsn)
  })
}

test("an UPDATE that leaves a TOASTed value alone sends the 'u' marker; a key change sends the old key", async (t) => {
  const source = await createReplicationSource(
    t,
    `CREATE TABLE docs (id int PRIMARY KEY, title text, body text);
     CREATE TABLE docs_full (id int PRIMARY KEY, title text, body text);
     ALTER TABLE docs_full REPLICA IDENTITY FULL;
     -- md5 hex barely compresses: 32 kB stays out of line in the TOAST table
     CREATE FUNCTION big() RETURNS text LANGUAGE sql AS $$ SELECT string_agg(md5(i::text), '') FROM generate_series(1, 1000) i $$;
     INSERT INTO docs VALUES (1, 'first', big());
     INSERT INTO docs_full VALUES (1, 'first', big());`,
    [
      { schema: 'public', name: 'docs' },
      { schema: 'public', name: 'docs_full' },
    ],
  )
  const [row] = await runSql<{ big: string }>(source, 'SELECT big()')
  const big = row?.big ?? ''
  assert.equal(big.length, 32_000)
  const stream = await openReplicationStream(source.url, { slot: source.slot, publications: [source.publication] })
  t.after(() => stream.close())

  await runSql(source, `UPDATE docs SET title = 'second' WHERE id = 1`)
  const [update] = changes(await readTransaction(stream))
  assert.ok(update?.kind === 'update')
  assert.equal(update.key, null)
  assert.equal(update.old, null)
  assert.deepEqual(texts(update.new), ['1', 'second', '<unchanged_toast>'])

  await runSql(source, `UPDATE docs SET id = 2 WHERE id = 1`)
  const [keyChange] = changes(await readTransaction(stream))
  assert.ok(keyChange?.kind === 'update')
  // the old key alone; the other columns of the key tuple are NULL
  assert.deepEqual(texts(keyChange.key), ['1', null, null])
  assert.equal(keyChange.old, null)
  assert.deepEqual(texts(keyChange.new), ['2', 'second', '<unchanged_toast>'])

  await runSql(source, `UPDATE docs SET body = 'short' WHERE id = 2`)
  const [bodyChange] = changes(await readTransaction(stream))
  assert.ok(bodyChange?.kind === 'update')
  assert.deepEqual(texts(bodyChange.new), ['2', 'second', 'short'])

  await runSql(source, `DELETE FROM docs WHERE id = 2`)
  const [remove] = changes(await readTransaction(stream))
  assert.ok(remove?.kind === 'delete')
  assert.deepEqual(texts(remove.key), ['2', null, null])

  // REPLICA IDENTITY FULL: the whole old row, the big value included
  await runSql(source, `UPDATE docs_full SET title = 'second' WHERE id = 1`)
  const [full] = changes(await readTransaction(stream))
  assert.ok(full?.kind === 'update')
  assert.equal(full.key, null)
  assert.deepEqual(texts(full.old), ['1', 'first', big])
  assert.deepEqual(texts(full.new), ['1', 'second', '<unchanged_toast>'])
})

function changes(items: readonly ReplicationMessageItem[]): PgoutputMessage[] {
  return items.map((item) => item.message).filter((message) => ['insert', 'update', 'delete', 'truncate'].includes(message.kind))
}
