import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { CopyOutStream } from '../../packages/core/src/copy/copy-out-stream.js'
import { createTestDatabase } from '../support/test-databases.js'

async function connect(t: import('node:test').TestContext): Promise<pg.Client> {
  const database = await createTestDatabase(t, 'source')
  const client = new pg.Client({ connectionString: database.url })
  // the database is dropped WITH (FORCE) after the test, which ends this session
  client.on('error', () => {})
  await client.connect()
  return client
}

// reads in small pieces, so network reads end mid-header and mid-row
function collector(): { sink: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = []
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk)
      setImmediate(callback)
    },
  })
  return { sink, bytes: () => Buffer.concat(parts) }
}

describe('CopyOutStream', () => {
  test('yields exactly the COPY data, rows of every size, and leaves the session usable', async (t) => {
    const client = await connect(t)
    // rows from 1 byte to 40 kB, so messages straddle every kind of read boundary
    const sql = `SELECT g, repeat(chr(65 + g % 26), (g * 7919) % 40000) FROM generate_series(1, 3000) g`
    const expected = await client.query<{ line: string }>(
      `SELECT string_agg(g || E'\\t' || r, E'\\n' ORDER BY g) || E'\\n' AS line FROM (${sql}) AS s(g, r)`,
    )
    const { sink, bytes } = collector()
    const reader = client.query(new CopyOutStream(`COPY (${sql}) TO STDOUT`))
    await pipeline(reader, sink)
    assert.equal(bytes().toString(), expected.rows[0]?.line)
    assert.equal(reader.rowCount, 3000)
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one')
    assert.equal(rows[0]?.one, 1)
    await client.end()
  })

  test('binary data passes through byte for byte; notices between rows are dropped', async (t) => {
    const client = await connect(t)
    await client.query(`
      CREATE FUNCTION noisy(n int) RETURNS int LANGUAGE plpgsql AS $$
      BEGIN IF n % 100 = 0 THEN RAISE NOTICE 'row %', n; END IF; RETURN n; END $$`)
    const sql = `COPY (SELECT noisy(g), g::float8 / 3, md5(g::text)::bytea FROM generate_series(1, 1000) g) TO STDOUT (FORMAT binary)`
    const { sink, bytes } = collector()
    await pipeline(client.query(new CopyOutStream(sql)), sink)
    // pg-copy-streams' reader, which allocates per row, is the reference
    const reference = collector()
    await pipeline(client.query(copyTo(sql)), reference.sink)
    assert.ok(bytes().subarray(0, 11).equals(Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')), 'binary signature first')
    assert.ok(bytes().equals(reference.bytes()))
    assert.equal(bytes().readInt16BE(bytes().length - 2), -1, 'trailer last')
    assert.ok(!bytes().includes(Buffer.from('row 100')), 'no notice in the data')
    await client.end()
  })

  test('an error in the middle of the COPY fails the stream with the server error', async (t) => {
    const client = await connect(t)
    const { sink } = collector()
    const reader = client.query(new CopyOutStream(`COPY (SELECT 1 / (g - 2500) FROM generate_series(1, 5000) g) TO STDOUT`))
    await assert.rejects(pipeline(reader, sink), /division by zero/)
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one')
    assert.equal(rows[0]?.one, 1, 'pg took the session back')
    await client.end()
  })
})
