import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PgoutputMessage } from '../../packages/core/src/incremental/pgoutput/index.js'
import { openReplicationStream } from '../../packages/core/src/incremental/replication-stream.js'
import { withClient } from '../support/test-databases.js'
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

test('a streamed transaction that rolls back ends in Stream Abort messages, a streamed savepoint in its own, nothing committed', async (t) => {
  const source = await createReplicationSource(t, 'CREATE TABLE wide (id int PRIMARY KEY, pad text)', [{ schema: 'public', name: 'wide' }])
  const stream = await openReplicationStream(source.url, {
    slot: source.slot,
    publications: [source.publication],
    // the smallest limit (this walsender only): a few thousand rows are streamed in blocks
    sessionSettings: { logical_decoding_work_mem: '64kB' },
  })
  t.after(() => stream.close())
  const seen: PgoutputMessage[] = []
  const readUntil = async (done: (message: PgoutputMessage) => boolean): Promise<void> => {
    for await (const item of stream) {
      if (item.kind !== 'message') continue
      seen.push(item.message)
      if (done(item.message)) return
    }
  }

  // held open while the stream is read: had the transaction ended first, the server could
  // find it aborted while decoding and stream empty blocks instead
  await withClient(source.db.url, async (client) => {
    await client.query('BEGIN')
    const { rows } = await client.query<{ xid: string }>('SELECT txid_current()::text AS xid')
    const xid = Number(rows[0]?.xid)
    await client.query(`INSERT INTO wide SELECT i, repeat('x', 100) FROM generate_series(1, 3000) i`)
    await client.query('SAVEPOINT s')
    await client.query(`INSERT INTO wide SELECT i, repeat('y', 100) FROM generate_series(3001, 6000) i`)
    await readUntil((message) => message.kind === 'insert' && message.xid !== xid)
    const savepoint = seen.at(-1)
    assert.ok(savepoint?.kind === 'insert' && savepoint.xid !== null)
    await client.query('ROLLBACK TO s')
    await readUntil((message) => message.kind === 'stream_abort')
    assert.deepEqual(seen.at(-1), { kind: 'stream_abort', xid, subxid: savepoint.xid, abortLsn: null, abortTime: null })
    await client.query('ROLLBACK')
    await readUntil((message) => message.kind === 'stream_abort')
    assert.deepEqual(seen.at(-1), { kind: 'stream_abort', xid, subxid: xid, abortLsn: null, abortTime: null })

    const inserts = seen.filter((message) => message.kind === 'insert')
    assert.ok(inserts.length > 0 && inserts.every((message) => message.xid === xid || message.xid === savepoint.xid))
    assert.ok(seen.every((message) => message.kind !== 'stream_commit' && message.kind !== 'commit'))
    assert.equal(seen.filter((message) => message.kind === 'stream_start').length, seen.filter((message) => message.kind === 'stream_stop').length)
  })
})
