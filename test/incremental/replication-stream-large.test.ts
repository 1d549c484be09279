import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openReplicationStream } from '../../packages/core/src/incremental/replication-stream.js'
import { createReplicationSource, eventually, runSql } from './replication-test-kit.js'

const ROWS = 100_000

test(`a ${ROWS.toLocaleString('en')}-row transaction arrives as protocol 2 stream blocks, with the reader's memory bounded`, async (t) => {
  const source = await createReplicationSource(t, 'CREATE TABLE wide (id int PRIMARY KEY, pad text)', [{ schema: 'public', name: 'wide' }])
  const stream = await openReplicationStream(source.url, { slot: source.slot, publications: [source.publication] })
  t.after(() => stream.close())
  assert.equal(stream.streaming, true)

  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0)
  const rssBefore = process.memoryUsage.rss()
  // ~1 kB per row, ~100 MB in all: far more than the reader may hold
  const insertStarted = performance.now()
  await runSql(source, `INSERT INTO wide SELECT i, repeat(md5(i::text), 32) FROM generate_series(1, ${ROWS}) i`)
  const insertSeconds = (performance.now() - insertStarted) / 1000
  // nobody has read yet: the stream must have stopped taking data from the socket once
  // maxBufferedItems were decoded, leaving the rest to TCP and the server
  await new Promise((resolve) => setTimeout(resolve, 2000))
  const rssStalled = process.memoryUsage.rss()
  const bufferedStalled = stream.bufferedItems
  let rssMax = rssStalled
  let bufferedMax = bufferedStalled
  const started = performance.now()
  const cpuStarted = process.cpuUsage()

  const kinds = new Map<string, number>()
  const xids = new Set<number | null>()
  let firstSegments = 0
  let depth = 0
  let seen = 0
  let lastId = 0
  let inOrder = true
  for await (const item of stream) {
    if (item.kind !== 'message') continue
    const message = item.message
    kinds.set(message.kind, (kinds.get(message.kind) ?? 0) + 1)
    if (message.kind === 'stream_start') {
      depth++
      if (message.firstSegment) firstSegments++
      xids.add(message.xid)
    } else if (message.kind === 'stream_stop') {
      depth--
    } else if (message.kind === 'insert') {
      assert.equal(depth, 1, 'an insert outside a stream block')
      xids.add(message.xid)
      const id = Number(message.new[0]?.kind === 'text' ? message.new[0].text : NaN)
      if (id !== lastId + 1) inOrder = false
      lastId = id
    }
    if (++seen % 1000 === 0) {
      rssMax = Math.max(rssMax, process.memoryUsage.rss())
      bufferedMax = Math.max(bufferedMax, stream.bufferedItems)
    }
    if (message.kind === 'stream_commit') {
      xids.add(message.xid)
      break
    }
  }
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuStarted)
  rssMax = Math.max(rssMax, process.memoryUsage.rss())
  const stalledGrowthMb = (rssStalled - rssBefore) / 1024 / 1024
  const growthMb = (rssMax - rssBefore) / 1024 / 1024
  t.diagnostic(
    `INSERT of ${ROWS} rows ${insertSeconds.toFixed(2)} s; then read in ${seconds.toFixed(2)} s ` +
      `(${Math.round(ROWS / seconds)} rows/s, reader CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s) ` +
      `in ${kinds.get('stream_start')} stream blocks; ` +
      `RSS ${mb(rssBefore)} MB, ${mb(rssStalled)} MB with the reader stalled (${bufferedStalled} items buffered), ` +
      `max ${mb(rssMax)} MB while reading (at most ${bufferedMax} items buffered)`,
  )

  assert.equal(kinds.get('insert'), ROWS)
  assert.ok(inOrder, 'the rows arrive in insertion order')
  assert.equal(kinds.get('begin'), undefined, 'a streamed transaction has no Begin')
  assert.equal(kinds.get('commit'), undefined)
  assert.equal(kinds.get('stream_commit'), 1)
  assert.ok((kinds.get('stream_start') ?? 0) > 1, 'more than one stream block')
  assert.equal(kinds.get('stream_start'), kinds.get('stream_stop'))
  assert.equal(firstSegments, 1)
  assert.equal(xids.size, 1, 'every block, change and the commit carry the one xid')
  assert.ok(bufferedStalled > 0 && bufferedMax <= 1000, `at most maxBufferedItems held, saw ${bufferedMax}`)
  // the rows' text alone is ~100 MB (~200 MB as JS strings): holding them would show
  assert.ok(stalledGrowthMb < 40, `RSS grew by ${stalledGrowthMb.toFixed(0)} MB with the reader stalled`)
  assert.ok(growthMb < 100, `RSS grew by ${growthMb.toFixed(0)} MB while reading`)
})

test('a stalled consumer keeps its stream past wal_sender_timeout through the periodic status updates alone', async (t) => {
  const source = await createReplicationSource(t, 'CREATE TABLE wide (id int PRIMARY KEY, pad text)', [{ schema: 'public', name: 'wide' }])
  // ~20 MB: more than the socket buffers hold, so the server blocks sending and reads no
  // keepalive answers from a reader that does not read
  await runSql(source, `INSERT INTO wide SELECT i, repeat(md5(i::text), 32) FROM generate_series(1, 20000) i`)
  const stalled = async (statusIntervalMs: number): Promise<number> => {
    const stream = await openReplicationStream(source.url, {
      slot: source.slot,
      publications: [source.publication],
      sessionSettings: { wal_sender_timeout: '2s' },
      statusIntervalMs,
      maxBufferedItems: 10,
    })
    try {
      await new Promise((resolve) => setTimeout(resolve, 5000))
      let inserts = 0
      for await (const item of stream) {
        if (item.kind !== 'message') continue
        if (item.message.kind === 'insert') inserts++
        if (item.message.kind === 'commit') break
      }
      return inserts
    } finally {
      await stream.close()
    }
  }

  // the control: with the periodic update out of the way the server gives up on the reader
  await assert.rejects(stalled(600_000), { name: 'ReplicationStreamError', code: 'CONNECTION_LOST' })
  await eventually(
    async () => (await runSql(source, 'SELECT FROM pg_replication_slots WHERE slot_name = $1 AND active', [source.slot])).length === 0,
    'the slot released',
  )
  assert.equal(await stalled(500), 20_000)
})

test('a streamed transaction that rolls back ends in Stream Abort, with nothing committed', async (t) => {
  const source = await createReplicationSource(t, 'CREATE TABLE wide (id int PRIMARY KEY, pad text)', [{ schema: 'public', name: 'wide' }])
  const stream = await openReplicationStream(source.url, {
    slot: source.slot,
    publications: [source.publication],
    // the smallest limit (this walsender only): a few thousand rows are streamed in blocks
    sessionSettings: { logical_decoding_work_mem: '64kB' },
  })
  t.after(() => stream.close())
  const [top] = await runSql<{ xid: string }>(
    source,
    `BEGIN;
     INSERT INTO wide SELECT i, repeat('x', 100) FROM generate_series(1, 3000) i;
     SAVEPOINT s;
     INSERT INTO wide SELECT i, repeat('y', 100) FROM generate_series(3001, 6000) i;
     ROLLBACK TO s;
     RELEASE s;
     INSERT INTO wide SELECT i, repeat('z', 100) FROM generate_series(6001, 9000) i;
     SELECT txid_current()::text AS xid;
     ROLLBACK;
     INSERT INTO wide VALUES (0, 'after');`,
  )
  const xid = Number(top?.xid)
  const aborts: { xid: number; subxid: number }[] = []
  const changeXids = new Set<number | null>()
  for await (const item of stream) {
    if (item.kind !== 'message') continue
    const message = item.message
    if (message.kind === 'stream_abort') aborts.push({ xid: message.xid, subxid: message.subxid })
    if (message.kind === 'insert' && message.xid !== null) changeXids.add(message.xid)
    if (message.kind === 'stream_commit') assert.fail('nothing of the rolled-back transaction commits')
    if (message.kind === 'commit') break
  }
  // the whole transaction is aborted last; a savepoint whose changes were already streamed
  // (under its own xid) is aborted on its own before (seen so on 15, but timing decides)
  assert.ok(changeXids.has(xid), 'changes were streamed before the rollback')
  assert.deepEqual(aborts.at(-1), { xid, subxid: xid })
  for (const abort of aborts.slice(0, -1)) {
    assert.equal(abort.xid, xid)
    assert.ok(abort.subxid !== xid && changeXids.has(abort.subxid), `savepoint ${abort.subxid} was streamed`)
  }
})
