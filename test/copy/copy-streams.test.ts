import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { TestContext } from 'node:test'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { CopyInStream, CopyOutStream, CopyRowCounter } from '../../packages/core/src/copy/index.js'
import { createTestDatabase } from '../support/test-databases.js'
import type { Side } from '../support/test-databases.js'

async function connect(t: TestContext, side: Side = 'source'): Promise<pg.Client> {
  const database = await createTestDatabase(t, side)
  const client = new pg.Client({ connectionString: database.url })
  // the database is dropped WITH (FORCE) after the test, which ends this session
  client.on('error', () => {})
  await client.connect()
  t.after(() => client.end().catch(() => {}))
  return client
}

// reads slowly in small pieces, so network reads end mid-header and mid-row
function collector(): { sink: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = []
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk)
      setImmediate(callback)
    },
  })
  return { sink, chunks }
}

/** The COPY data of whole CopyData messages; fails on a chunk that cuts a message. */
function unframe(chunks: readonly Buffer[]): Buffer {
  const data: Buffer[] = []
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length; ) {
      assert.equal(chunk[at], 0x64, 'CopyData messages only')
      const end = at + 1 + chunk.readUInt32BE(at + 1)
      assert.ok(end <= chunk.length, 'a chunk holds whole messages')
      data.push(chunk.subarray(at + 5, end))
      at = end
    }
  }
  return Buffer.concat(data)
}

async function alive(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ one: number }>('SELECT 1 AS one')
  assert.equal(rows[0]?.one, 1, 'pg took the session back')
}

describe('CopyOutStream', () => {
  test('yields the COPY data as whole CopyData messages, rows of every size; rows counted from the framing', async (t) => {
    const client = await connect(t)
    // rows from 2 bytes to 30 kB, so messages straddle every kind of read boundary
    const sql = `SELECT g, repeat(chr(65 + g % 26), (g * 7919) % 30000) FROM generate_series(1, 1000) g`
    const expected = await client.query<{ text: string }>(
      `SELECT string_agg(g || E'\\t' || r, E'\\n' ORDER BY g) || E'\\n' AS text FROM (${sql}) AS s(g, r)`,
    )
    const { sink, chunks } = collector()
    const reader = client.query(new CopyOutStream(`COPY (${sql}) TO STDOUT`))
    await pipeline(reader, sink)
    assert.equal(unframe(chunks).toString(), expected.rows[0]?.text)
    assert.equal(reader.rowCount, 1000)
    for (const size of [7, 4096, Number.MAX_SAFE_INTEGER]) {
      const counter = new CopyRowCounter('text')
      const all = Buffer.concat(chunks)
      for (let at = 0; at < all.length; at += size) counter.push(all.subarray(at, at + size))
      assert.equal(counter.rows, 1000, `text rows in pieces of ${size} bytes`)
      assert.equal(counter.dataBytes, Buffer.byteLength(expected.rows[0]?.text ?? ''))
    }
    await alive(client)
  })

  test('binary data passes through byte for byte; notices between rows are dropped; the trailer is no row', async (t) => {
    const client = await connect(t)
    await client.query(`
      CREATE FUNCTION noisy(n int) RETURNS int LANGUAGE plpgsql AS $$
      BEGIN IF n % 100 = 0 THEN RAISE NOTICE 'row %', n; END IF; RETURN n; END $$`)
    const sql = `COPY (SELECT noisy(g), g::float8 / 3, CASE WHEN g % 2 = 0 THEN md5(g::text)::bytea END FROM generate_series(1, 1000) g) TO STDOUT (FORMAT binary)`
    const { sink, chunks } = collector()
    await pipeline(client.query(new CopyOutStream(sql)), sink)
    // pg-copy-streams' reader, which allocates per row, is the reference
    const reference = collector()
    await pipeline(client.query(copyTo(sql)), reference.sink)
    const data = unframe(chunks)
    assert.ok(data.equals(Buffer.concat(reference.chunks)))
    assert.ok(!data.includes(Buffer.from('row 100')), 'no notice in the data')
    const counter = new CopyRowCounter('binary')
    for (const chunk of chunks) counter.push(chunk)
    assert.equal(counter.rows, 1000)
    for (const rows of [0, 1]) {
      const empty = collector()
      await pipeline(client.query(new CopyOutStream(`COPY (SELECT 1 FROM generate_series(1, ${rows})) TO STDOUT (FORMAT binary)`)), empty.sink)
      const none = new CopyRowCounter('binary')
      for (const chunk of empty.chunks) none.push(chunk)
      assert.equal(none.rows, rows, `${rows} rows`)
    }
    await alive(client)
  })

  test('an error in the middle of the COPY fails the stream with the server error', async (t) => {
    const client = await connect(t)
    const { sink } = collector()
    const reader = client.query(new CopyOutStream(`COPY (SELECT 1 / (g - 2500) FROM generate_series(1, 5000) g) TO STDOUT`))
    await assert.rejects(pipeline(reader, sink), /division by zero/)
    await alive(client)
  })
})

describe('CopyInStream', () => {
  const rows = `SELECT g, repeat('x', g % 3000), g::float8 / 7 FROM generate_series(1, 20000) g`

  async function sides(t: TestContext) {
    const source = await connect(t, 'source')
    const destination = await connect(t, 'destination')
    await destination.query('CREATE TABLE t (id int PRIMARY KEY, note text, f float8)')
    return { source, destination }
  }

  test('relays CopyData messages from a COPY TO into a COPY FROM, text and binary', async (t) => {
    const { source, destination } = await sides(t)
    for (const format of ['text', 'binary']) {
      await destination.query('TRUNCATE t')
      const writer = destination.query(new CopyInStream(`COPY t FROM STDIN (FORMAT ${format})`))
      await pipeline(source.query(new CopyOutStream(`COPY (${rows}) TO STDOUT (FORMAT ${format})`)), writer)
      assert.equal(writer.rowCount, 20000, format)
      const sums = await Promise.all([source.query(`SELECT md5(string_agg(r::text, ',' ORDER BY r)) AS m FROM (${rows}) r(a, b, c)`),
        destination.query(`SELECT md5(string_agg(r::text, ',' ORDER BY r)) AS m FROM (SELECT id, note, f FROM t) r(a, b, c)`)])
      assert.equal(sums[1].rows[0]?.m, sums[0].rows[0]?.m, format)
    }
  })

  test('a destination error fails the relay with that error; both sessions are usable afterwards', async (t) => {
    const { source, destination } = await sides(t)
    await destination.query(`INSERT INTO t VALUES (15000, 'there first', 0)`)
    const writer = destination.query(new CopyInStream('COPY t FROM STDIN'))
    await assert.rejects(pipeline(source.query(new CopyOutStream(`COPY (${rows}) TO STDOUT`)), writer), /duplicate key/)
    await alive(destination)
    // the source session was left mid-COPY: it is discarded, as the copy does after any failure
    const { rows: left } = await destination.query<{ n: string }>('SELECT count(*) AS n FROM t')
    assert.equal(left[0]?.n, '1')
  })

  test('a source error abandons the COPY FROM with CopyFail: nothing loaded, the session usable', async (t) => {
    const { source, destination } = await sides(t)
    const writer = destination.query(new CopyInStream('COPY t (id) FROM STDIN'))
    await assert.rejects(
      pipeline(source.query(new CopyOutStream('COPY (SELECT 1 / (20000 - g) FROM generate_series(1, 30000) g) TO STDOUT')), writer),
      /division by zero/,
    )
    await alive(destination)
    await alive(source)
    const { rows: left } = await destination.query<{ n: string }>('SELECT count(*) AS n FROM t')
    assert.equal(left[0]?.n, '0')
  })
})
