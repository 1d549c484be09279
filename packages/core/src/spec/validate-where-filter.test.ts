import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { loadSqlParser, validateWhereFilter } from './validate-where-filter.js'

describe('validateWhereFilter', () => {
  before(() => loadSqlParser())

  // filter → canonical SQL, columns read
  const accepted: [string, string, string[]][] = [
    ["created_at >= '2024-01-01'", "created_at >= '2024-01-01'", ['created_at']],
    ['id > 1 -- recent', 'id > 1', ['id']],
    ['id > 1 /* recent */', 'id > 1', ['id']],
    ['id > 0;', 'id > 0', ['id']],
    ["region = 'eu'' OR ''1''=''1'", "region = 'eu'' OR ''1''=''1'", ['region']],
    ["lower(name) = 'x' AND (a OR b)", "lower(name) = 'x' AND (a OR b)", ['name', 'a', 'b']],
    ['NOT archived', 'NOT (archived)', ['archived']],
    ['archived', 'archived', ['archived']],
    ['true', 'true', []],
    ['id IN (1, 2, 3)', 'id IN (1, 2, 3)', ['id']],
    ['id BETWEEN 1 AND 5', 'id BETWEEN 1 AND 5', ['id']],
    ['extract(year from at) = 2024', 'EXTRACT(YEAR FROM at) = 2024', ['at']],
    ['coalesce(a, b) IS NULL', 'COALESCE(a, b) IS NULL', ['a', 'b']],
    ["data ->> 'kind' = 'x'", "(data ->> 'kind') = 'x'", ['data']],
    ['"Mixed Case" = 1', '"Mixed Case" = 1', ['Mixed Case']],
    ['(a, b) > (1, 2)', '(a, b) > (1, 2)', ['a', 'b']],
    ["pg_catalog.lower(x) LIKE 'a%'", "pg_catalog.lower(x) LIKE 'a%'", ['x']],
    [
      "jsonb_typeof(doc) = 'object' AND cardinality(tags) > 0",
      "jsonb_typeof(doc) = 'object' AND cardinality(tags) > 0",
      ['doc', 'tags'],
    ],
    ['CASE WHEN a THEN b ELSE c END', 'CASE WHEN a THEN b ELSE c END', ['a', 'b', 'c']],
  ]
  for (const [filter, sql, columns] of accepted) {
    test(`accepts ${JSON.stringify(filter)}`, () => {
      const result = validateWhereFilter(filter)
      assert.equal(result.error, undefined)
      assert.equal(result.sql, sql)
      assert.deepEqual(result.columns, columns)
    })
  }

  test('lists the calls that are not immutable', () => {
    const result = validateWhereFilter(
      "created_at > now() - interval '1 day' AND d < CURRENT_DATE AND date_trunc('day', t) = t",
    )
    assert.deepEqual(result.nonImmutable, ['now()', 'CURRENT_DATE'])
    assert.equal(
      result.sql,
      "created_at > (now() - '1 day'::interval) AND d < CURRENT_DATE AND date_trunc('day', t) = t",
    )
  })

  const single = 'must be a single boolean expression'
  const sideEffect = (name: string): string =>
    `may not call ${name}(): only side-effect-free functions are allowed`
  const ownColumns = "may only use the table's own columns by their bare name, got"

  // filter → message, offset in the filter
  const rejected: [string, string, number][] = [
    ['1=1; DROP TABLE x', `${single}: found 2 statements`, 5],
    ['1=1 -- x\n; DROP TABLE y', `${single}: found 2 statements`, 11],
    ['id > 0 UNION SELECT usename FROM pg_shadow', `${single}: UNION is not allowed`, 7],
    ['id > 0 ORDER BY 1', `${single}: ORDER BY is not allowed`, 7],
    ['id > 0 LIMIT 1', `${single}: LIMIT is not allowed`, 7],
    ['id > 0 OFFSET 1', `${single}: OFFSET is not allowed`, 7],
    ['id > 0 GROUP BY id', `${single}: GROUP BY is not allowed`, 7],
    ['id > 0 FOR UPDATE', `${single}: FOR UPDATE/SHARE is not allowed`, 7],
    ['id = 1) OR (1 = 1', 'is not valid SQL: syntax error at or near ")" (col 7 of the filter)', 6],
    [
      "name = 'abc",
      `is not valid SQL: unterminated quoted string at or near "'abc" (col 8 of the filter)`,
      7,
    ],
    [
      'id > 0\nAND (',
      'is not valid SQL: syntax error at end of input (line 2, col 6 of the filter)',
      12,
    ],
    ['EXISTS (SELECT 1 FROM pg_user)', 'may not contain subqueries', 0],
    ['id IN (SELECT id FROM other)', 'may not contain subqueries', 3],
    ['(SELECT 1) = 1', 'may not contain subqueries', 0],
    ['$1 = id', 'may not contain parameters ($1)', 0],
    ['other.id = 1', `${ownColumns} other.id`, 0],
    ['public.t.id = 1', `${ownColumns} public.t.id`, 0],
    ['t.* IS NULL', 'may not use *', 0],
    ['count(*) > 1', 'may not use aggregate functions such as count()', 0],
    ['sum(x) FILTER (WHERE y) > 0', 'may not use aggregate functions such as sum()', 0],
    ['row_number() OVER () < 10', 'may not use window functions such as row_number()', 0],
    ['pg_sleep(10) IS NULL', sideEffect('pg_sleep'), 0],
    ['pg_catalog.pg_sleep(1) IS NULL', sideEffect('pg_catalog.pg_sleep'), 0],
    ["id > 0 AND set_config('a', 'b', false) = 'b'", sideEffect('set_config'), 11],
    ["nextval('s') > 0", sideEffect('nextval'), 0],
    ['pg_terminate_backend(1)', sideEffect('pg_terminate_backend'), 0],
    ["dblink_exec('x') = 'y'", sideEffect('dblink_exec'), 0],
    ["lo_import('/etc/passwd') > 0", sideEffect('lo_import'), 0],
    ["pg_read_file('/etc/passwd') <> ''", sideEffect('pg_read_file'), 0],
    [
      "public.lower(x) = 'a'",
      'may not call public.lower(): only side-effect-free built-in functions are allowed',
      0,
    ],
    [
      'x OPERATOR(public.===) 1',
      'may not use operator public.===: only built-in operators are allowed',
      2,
    ],
    ['grouping(a) = 1', 'may not use GROUPING()', 0],
    ['42', 'must be a boolean expression, got the number 42', 0],
    ['0', 'must be a boolean expression, got the number 0', 0],
    ['1.5', 'must be a boolean expression, got the number 1.5', 0],
    ["'abc'", "must be a boolean expression, got the string 'abc'", 0],
    ['NULL', 'must be a boolean expression, got NULL', 0],
    ['1 + 1', 'must be a boolean expression, got a "+" expression', 2],
    ['   ', 'must not be blank (leave it out to copy every row)', 0],
  ]
  for (const [filter, message, offset] of rejected) {
    test(`refuses ${JSON.stringify(filter)}`, () => {
      const result = validateWhereFilter(filter)
      assert.equal(result.sql, undefined)
      assert.deepEqual(result.error, { message, offset })
    })
  }
})
