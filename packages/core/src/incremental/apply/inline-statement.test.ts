import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inlineStatement, sqlLiteral } from './inline-statement.js'

test('sqlLiteral: quotes doubled, backslashes in the escape form only, NULL bare', () => {
  assert.equal(sqlLiteral("it's"), "'it''s'")
  assert.equal(sqlLiteral('a\\b'), "E'a\\\\b'")
  assert.equal(sqlLiteral("\\'"), "E'\\\\'''")
  assert.equal(sqlLiteral(null), 'NULL')
  assert.throws(() => sqlLiteral('a\0b'))
})

test('inlineStatement: parameters replaced outside quoted identifiers and literals, casts kept', () => {
  const text = `INSERT INTO "t$1" ("a""$2", b) VALUES ($1::int4, $2::text), ($10::int4, 'x$1''$2')`
  const values = ['1', "o'k", null, null, null, null, null, null, null, '10']
  assert.equal(
    inlineStatement({ text, values }),
    `INSERT INTO "t$1" ("a""$2", b) VALUES ('1'::int4, 'o''k'::text), ('10'::int4, 'x$1''$2')`,
  )
  assert.equal(inlineStatement({ text: 'SELECT 1', values: [] }), 'SELECT 1')
  assert.throws(() => inlineStatement({ text: 'SELECT $2', values: ['1'] }), RangeError)
})
