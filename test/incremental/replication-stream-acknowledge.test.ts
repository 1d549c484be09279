import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openCopySnapshot } from '../../packages/core/src/copy/index.js'
import { createPublication } from '../../packages/core/src/incremental/create-publication.js'
import { formatLsn } from '../../packages/core/src/incremental/pgoutput/index.js'
import { readReplicationSlot } from '../../packages/core/src/incremental/read-replication-slot.js'
import { ReplicationStreamError } from '../../packages/core/src/incremental/replication-stream-error.js'
import { openReplicationStream } from '../../packages/core/src/incremental/replication-stream.js'
import type { ReplicationItem } from '../../packages/core/src/incremental/replication-stream.js'
import { ConnectionUrl } from '../../packages/core/src/spec/index.js'
import { createTestDatabase, withClient } from '../support/test-databases.js'
import { commitOf, createReplicationSource, eventually, readTransaction, runSql, texts } from './replication-test-kit.js'
import type { ReplicationSource } from './replication-test-kit.js'

const TABLE = 'CREATE TABLE t (id int PRIMARY KEY, v text); CREATE TABLE quiet (id int)'
const PUBLISHED = [{ schema: 'public', name: 't' }]

/** The inserted values of a transaction read from the stream. */
async function nextInsertedValues(stream: Awaited<ReturnType<typeof openReplicationStream>>) {
  const items = await readTransaction(stream)
  const values = items.flatMap((item) => (item.message.kind === 'insert' ? [texts(item.message.new)] : []))
  return { values, endLsn: commitOf(items).endLsn }
}

function confirmedFlush(source: ReplicationSource): Promise<bigint | null> {
  return withClient(source.db.url, async (client) => (await readReplicationSlot(client, source.slot))?.confirmedFlushLsn ?? null)
}

test('exactly-once seam: an unacknowledged transaction comes again after reopening, an acknowledged one does not (slot made by the copy snapshot)', async (t) => {
  const db = await createTestDatabase(t, 'source')
  const url = ConnectionUrl.parse(db.url)
  await withClient(db.url, (client) => client.query(TABLE))
  // the slot the full copy creates, with its exported snapshot, is the one streamed from
  const snapshot = await openCopySnapshot(url, { migration: db.name, withSlot: true })
  assert.ok(snapshot.slotName !== null && snapshot.lsn !== null)
  await snapshot.close()
  const source: ReplicationSource = { db, url, slot: snapshot.slotName, publication: snapshot.slotName }
  await withClient(db.url, (client) => createPublication(client, source.publication, PUBLISHED))
  const options = { slot: source.slot, publications: [source.publication] }

  await runSql(source, `INSERT INTO t VALUES (1, 'one')`)
  const first = await openReplicationStream(url, options)
  const read1 = await nextInsertedValues(first)
  assert.deepEqual(read1.values, [['1', 'one']])
  await first.close()

  // not acknowledged: delivered again, identically
  const second = await openReplicationStream(url, options)
  const read2 = await nextInsertedValues(second)
  assert.deepEqual(read2, read1)
  // keepalives from a busy cluster may have moved receivedLsn past the commit: test past that
  assert.throws(() => second.acknowledge(second.receivedLsn + 1n), RangeError, 'beyond what was received')
  second.acknowledge(read2.endLsn)
  assert.equal(second.acknowledgedLsn, read2.endLsn)
  await eventually(async () => (await confirmedFlush(source)) === read2.endLsn, `confirmed_flush_lsn ${formatLsn(read2.endLsn)}`)
  await second.close()

  await runSql(source, `INSERT INTO t VALUES (2, 'two')`)
  const third = await openReplicationStream(url, options)
  t.after(() => third.close())
  assert.equal(third.startLsn, read2.endLsn)
  const read3 = await nextInsertedValues(third)
  assert.deepEqual(read3.values, [['2', 'two']], 'the acknowledged transaction is not delivered again')
})

test('keepalive replies keep the stream alive past wal_sender_timeout and never acknowledge beyond the acknowledged LSN', async (t) => {
  const source = await createReplicationSource(t, TABLE, PUBLISHED)
  const options = { slot: source.slot, publications: [source.publication] }
  const stream = await openReplicationStream(source.url, {
    ...options,
    // this session only (PGC_USERSET): the server asks for a reply after 1 s of silence and
    // drops the connection after 2 s without one; the periodic update is kept out of the way
    sessionSettings: { wal_sender_timeout: '2s' },
    statusIntervalMs: 600_000,
  })
  let closed = false
  t.after(() => (closed ? undefined : stream.close()))

  await runSql(source, `INSERT INTO t VALUES (1, 'one')`)
  const read1 = await nextInsertedValues(stream)
  stream.acknowledge(read1.endLsn)
  await runSql(source, `INSERT INTO t VALUES (2, 'two')`)
  const read2 = await nextInsertedValues(stream)
  assert.deepEqual(read2.values, [['2', 'two']])

  // more WAL the stream does not publish: keepalives then report positions past read2
  const collected: ReplicationItem[] = []
  const collecting = (async () => {
    for await (const item of stream) collected.push(item)
  })()
  for (let round = 0; round < 5; round++) {
    await runSql(source, 'INSERT INTO quiet VALUES (1)')
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const replies = collected.filter((item) => item.kind === 'keepalive' && item.replyRequested)
  assert.ok(replies.length >= 2, `the server asked for replies (${replies.length} times)`)
  assert.ok(stream.receivedLsn > read2.endLsn)
  assert.equal(await confirmedFlush(source), read1.endLsn, 'only what was acknowledged is confirmed')
  closed = true
  await stream.close()
  await collecting // resolves: the stream was never dropped

  const again = await openReplicationStream(source.url, options)
  t.after(() => again.close())
  assert.deepEqual(await nextInsertedValues(again), read2, 'the unacknowledged transaction is delivered again')
})

test('a dropped connection surfaces as CONNECTION_LOST from the iterator; the stream reopens', async (t) => {
  const source = await createReplicationSource(t, TABLE, PUBLISHED)
  const options = { slot: source.slot, publications: [source.publication] }
  const stream = await openReplicationStream(source.url, options)
  t.after(() => stream.close())
  await runSql(source, `INSERT INTO t VALUES (1, 'one')`)
  await nextInsertedValues(stream)

  await runSql(source, 'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1', [source.slot])
  const failure = await (async () => {
    for await (const item of stream) void item
  })().then(
    () => assert.fail('the iterator should fail'),
    (error: unknown) => error,
  )
  assert.ok(failure instanceof ReplicationStreamError)
  assert.equal(failure.code, 'CONNECTION_LOST')
  assert.match(failure.message, new RegExp(`streaming from replication slot ${source.slot}: `))
  await assert.rejects(stream.read(), { code: 'CONNECTION_LOST' })

  // the terminated walsender lets go of the slot asynchronously
  await eventually(async () => (await runSql(source, 'SELECT FROM pg_replication_slots WHERE slot_name = $1 AND active', [source.slot])).length === 0, 'the slot released')
  const again = await openReplicationStream(source.url, options)
  t.after(() => again.close())
  assert.deepEqual((await nextInsertedValues(again)).values, [['1', 'one']])
})

test('a missing slot, and a slot another stream holds, are refused with their own codes', async (t) => {
  const source = await createReplicationSource(t, TABLE, PUBLISHED)
  await assert.rejects(openReplicationStream(source.url, { slot: `${source.slot}_missing`, publications: [source.publication] }), {
    name: 'ReplicationStreamError',
    code: 'SLOT_NOT_FOUND',
  })
  const holder = await openReplicationStream(source.url, { slot: source.slot, publications: [source.publication] })
  t.after(() => holder.close())
  await assert.rejects(openReplicationStream(source.url, { slot: source.slot, publications: [source.publication] }), (error: unknown) => {
    assert.ok(error instanceof ReplicationStreamError)
    assert.equal(error.code, 'SLOT_IN_USE')
    assert.match(error.message, /^starting replication from slot \S+: replication slot "\S+" is active for PID \d+/)
    return true
  })
})
