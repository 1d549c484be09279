import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createTestDatabase, withClient } from '../../../../test/support/test-databases.js'
import { NON_UNRESERVED_KEYWORDS } from './keywords.js'
import { quoteIdentifier, quoteLiteral, quoteQualifiedName } from './quote-identifier.js'

const TORTURE = [
  'orders',
  'Order Items',
  'sElEcT',
  'select',
  'user',
  'order',
  'a"b',
  '"',
  'with space',
  '_private',
  '9lives',
  'dollar$sign',
  'ünïcödé',
  'emoji_🚀',
  '🚀',
  'tab\there',
  'line\nbreak',
  'UPPER',
  'x'.repeat(63),
]

describe('quoteIdentifier', () => {
  test('agrees with PostgreSQL quote_ident() and round-trips through real DDL', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await withClient(database.url, async (client) => {
      for (const name of TORTURE) {
        const { rows } = await client.query<{ quoted: string }>('SELECT quote_ident($1) AS quoted', [
          name,
        ])
        assert.equal(quoteIdentifier(name), rows[0]?.quoted, JSON.stringify(name))
        const table = quoteIdentifier(name)
        const column = quoteIdentifier(`${name} col`)
        await client.query(`CREATE TABLE ${table} (${column} int)`)
        await client.query(`INSERT INTO ${table} (${column}) VALUES (1)`)
        const read = await client.query(
          'SELECT relname FROM pg_class WHERE relname = $1 AND relkind = $2',
          [name, 'r'],
        )
        assert.equal(read.rowCount, 1, `table ${JSON.stringify(name)} exists under its exact name`)
        await client.query(`DROP TABLE ${table}`)
      }
    })
  })

  test('every keyword the server does not call unreserved is quoted', async (t) => {
    const database = await createTestDatabase(t, 'source')
    const { rows } = await withClient(database.url, (client) =>
      client.query<{ word: string }>("SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'"),
    )
    const missing = rows.map((row) => row.word).filter((word) => !NON_UNRESERVED_KEYWORDS.has(word))
    assert.deepEqual(missing, [])
  })

  test('qualified names and literals', () => {
    assert.equal(quoteQualifiedName('sales', 'Order Items'), 'sales."Order Items"')
    assert.equal(quoteLiteral("it's"), "'it''s'")
    assert.throws(() => quoteIdentifier(''), /cannot be empty/)
    assert.throws(() => quoteIdentifier('a\0b'), /NUL/)
  })
})
