import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CopyOutStream, CopyRowCounter, prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import type { Database } from '../../packages/core/src/pg/index.js'
import { withClient } from '../support/test-databases.js'
import { createDestinationSchema, createPair, loadSpec } from './copy-test-kit.js'
import { TABLES, TYPES_SQL } from './type-matrix.js'

/** Each row's text, and each column's text, in id order. */
async function rowTexts(db: Database, table: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ row: string }>(`SELECT t::text AS row FROM public.${table} AS t ORDER BY id`)
  return rows.map((row) => row.row)
}

describe('full copy: types', () => {
  test('every built-in type family arrives with the same value, binary where possible, text where not', async (t) => {
    const pair = await createPair(t)
    await withClient(pair.sourceDb.url, (client) => client.query(TYPES_SQL))
    const spec = await loadSpec(pair, 'options: { parallel: { tables: 3 } }')
    await createDestinationSchema(pair)
    const plan = await prepareCopyPlan(pair.source, pair.destination, spec)
    const formats = Object.fromEntries(plan.tables.map((table) => [table.source.name, table.format]))
    assert.deepEqual(formats, {
      arrays: 'binary',
      bits: 'binary',
      bytes: 'binary',
      composites: 'text',
      docs: 'binary',
      geo: 'binary',
      nets: 'binary',
      no_binary: 'text',
      numbers: 'binary',
      ranges: 'binary',
      search: 'binary',
      texts: 'binary',
      times: 'binary',
      user_types: 'binary',
    })
    const userTypes = plan.tables.find((table) => table.source.name === 'user_types')
    assert.deepEqual(
      userTypes?.columns.map((column) => column.destinationName),
      ['id', 'm', 'd', 'fr', 'ident', 'flag', 'o'],
      'the generated column is left out, the identity column is copied',
    )
    assert.ok(userTypes?.columns.every((column) => !column.expression.includes('::')), 'equal types need no cast')

    await runFullCopy({ ...pair, spec, plan })

    for (const table of TABLES) {
      const [source, destination] = await Promise.all([rowTexts(pair.source, table), rowTexts(pair.destination, table)])
      assert.ok(source.length > 0, table)
      assert.deepEqual(destination, source, `${table}: values differ`)
    }
    // the meter's row count reads the real server's CopyData messages (TOASTed and NULL values included)
    const client = await pair.source.pool.connect()
    try {
      for (const table of TABLES) {
        // aclitem has no binary output at all: that is what the text fallback is for
        for (const format of table === 'no_binary' ? (['text'] as const) : (['binary', 'text'] as const)) {
          const counter = new CopyRowCounter(format)
          for await (const chunk of client.query(new CopyOutStream(`COPY public.${table} TO STDOUT (FORMAT ${format})`))) counter.push(chunk as Buffer)
          const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM public.${table}`)
          assert.equal(counter.rows, rows[0]?.n, `${table} (${format})`)
        }
      }
    } finally {
      client.release()
    }
    // beyond text: the binary values themselves are equal
    const { rows } = await pair.destination.pool.query<{ same: boolean }>(
      `SELECT b = decode(repeat('00ff5c0a', 50000), 'hex') AS same FROM bytes WHERE id = 5`,
    )
    assert.deepEqual(rows, [{ same: true }])
  })

  test('differing destination types: casts in the SELECT list, lengths checked by the destination, not truncated', async (t) => {
    const pair = await createPair(t)
    await withClient(pair.sourceDb.url, (client) =>
      client.query(`
        CREATE TABLE m (id int PRIMARY KEY, v text, n numeric, b bit(4), f real);
        INSERT INTO m VALUES (1, 'abc', 1.005, B'1010', 1.5), (2, NULL, -2, NULL, NULL);`),
    )
    await withClient(pair.destinationDb.url, (client) =>
      client.query('CREATE TABLE m (id bigint, v varchar(3), n numeric(10,2), b bit varying(8), f double precision)'),
    )
    const spec = await loadSpec(pair, 'conflicts: ignore')
    const plan = await prepareCopyPlan(pair.source, pair.destination, spec)
    assert.deepEqual(
      plan.tables[0]?.columns.map((column) => column.expression),
      ['id::bigint', 'v::character varying', 'n::numeric(10,2)', 'b::bit varying', 'f::double precision'],
    )
    assert.equal(plan.tables[0]?.format, 'binary')
    await runFullCopy({ ...pair, spec, plan })
    const { rows } = await pair.destination.pool.query('SELECT id, v, n::text, b::text, f FROM m ORDER BY id')
    assert.deepEqual(rows, [
      { id: '1', v: 'abc', n: '1.01', b: '1010', f: 1.5 },
      { id: '2', v: null, n: '-2.00', b: null, f: null },
    ])

    // a value too long for the destination fails the unit instead of being cut short
    await withClient(pair.sourceDb.url, (client) => client.query(`INSERT INTO m VALUES (3, 'abcd', 0, NULL, NULL)`))
    await pair.destination.pool.query('TRUNCATE m; TRUNCATE pgshift.copy_units')
    const strict = await loadSpec(pair, 'conflicts: ignore\noptions: { retry: { other: 1s } }')
    await assert.rejects(runFullCopy({ ...pair, spec: strict, plan }), /value too long for type character varying\(3\)/)
  })
})
