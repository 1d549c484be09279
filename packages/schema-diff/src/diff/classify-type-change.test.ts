import assert from 'node:assert/strict'
import { test } from 'node:test'
import { classifyTypeChange } from './classify-type-change.js'

// [from, to, rewrites, unsafe, needsUsing]
const CASES: readonly [string, string, boolean, boolean, boolean][] = [
  ['integer', 'bigint', true, false, false],
  ['bigint', 'integer', true, true, false],
  ['smallint', 'integer', true, false, false],
  ['character varying(10)', 'character varying(20)', false, false, false],
  ['character varying(20)', 'character varying(10)', true, true, false],
  ['character varying(10)', 'text', false, false, false],
  ['text', 'character varying', false, false, false],
  ['text', 'character varying(5)', true, true, false],
  ['text', 'integer', true, true, true],
  ['integer', 'text', true, false, false],
  ['numeric(12,2)', 'numeric(14,2)', false, false, false],
  ['numeric(12,2)', 'numeric(10,2)', true, true, false],
  ['numeric(12,2)', 'numeric(12,1)', true, true, false],
  ['numeric(12,2)', 'numeric', false, false, false],
  ['numeric', 'numeric(12,2)', true, true, false],
  ['integer', 'numeric(12,2)', true, false, false],
  ['bigint', 'numeric(12,2)', true, true, false],
  ['numeric(12,2)', 'integer', true, true, false],
  ['integer', 'double precision', true, false, false],
  ['bigint', 'double precision', true, true, false],
  ['real', 'double precision', true, false, false],
  ['timestamp(3) without time zone', 'timestamp without time zone', false, false, false],
  ['timestamp without time zone', 'timestamp(3) without time zone', true, true, false],
  ['timestamp without time zone', 'timestamp with time zone', true, true, false],
  ['date', 'timestamp with time zone', true, false, false],
  ['json', 'jsonb', true, true, false],
  ['jsonb', 'json', true, false, true],
  ['integer[]', 'bigint[]', true, false, false],
  ['integer', 'integer[]', true, true, true],
  ['text', 'public.mood', true, true, true],
  ['uuid', 'text', true, false, false],
]

test('classifyTypeChange follows PostgreSQL binary coercibility and cast contexts', () => {
  for (const [from, to, rewrites, unsafe, needsUsing] of CASES) {
    const change = classifyTypeChange(from, to)
    assert.deepEqual(
      [change.rewrites, change.unsafe !== null, change.needsUsing],
      [rewrites, unsafe, needsUsing],
      `${from} → ${to}`,
    )
  }
})
