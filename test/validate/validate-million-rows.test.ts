import assert from 'node:assert/strict'
import { test } from 'node:test'
import { migratedPair } from './validate-kit.js'

const SETUP = `
CREATE TABLE big (
  id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), at timestamptz NOT NULL, flag boolean
);
INSERT INTO big
SELECT g, md5(g::text), CASE WHEN g % 10 = 0 THEN NULL ELSE g * 1.25 END,
       timestamptz '2024-01-01Z' + g * interval '1 second', g % 7 = 0
  FROM generate_series(1, 1000000) g;
`

interface JsonReport {
  readonly status: string
  readonly tables: readonly {
    readonly status: string
    readonly sourceRows: number
    readonly destinationRows: number
    readonly ranges: number
    readonly differingRanges: number
    readonly differences: readonly unknown[]
    readonly moreDifferences: boolean
  }[]
}

test('a 1,000,000-row table corrupted three ways on the destination: exactly those keys are named', async (t) => {
  const pair = await migratedPair(t, SETUP, 'options: { parallel: { tables: 2 } }')
  await pair.sql(
    'destination',
    `UPDATE big SET amount = amount + 0.01 WHERE id = 123457;
     DELETE FROM big WHERE id = 500000;
     INSERT INTO big VALUES (1000001, 'extra', 1, '2030-01-01Z', false);`,
  )
  const started = performance.now()
  const run = await pair.cli(['validate', '--spec', pair.specFile, '--format', 'json', '--no-sequences'])
  t.diagnostic(`validate 1M rows through the CLI: ${((performance.now() - started) / 1000).toFixed(2)} s`)
  assert.equal(run.code, 1, run.stdout + run.stderr)
  const report = JSON.parse(run.stdout) as JsonReport
  assert.equal(report.status, 'different')
  const [big] = report.tables
  assert.equal(big?.status, 'different')
  assert.equal(big?.sourceRows, 1_000_000)
  assert.equal(big?.destinationRows, 1_000_000)
  assert.ok((big?.ranges ?? 0) >= 10, `ranges: ${big?.ranges}`)
  assert.equal(big?.differingRanges, 3)
  assert.equal(big?.moreDifferences, false)
  assert.deepEqual(big?.differences, [
    { kind: 'changed', key: { id: '123457' }, columns: [{ source: 'amount', destination: 'amount' }] },
    { kind: 'missing', key: { id: '500000' }, columns: [] },
    { kind: 'extra', key: { id: '1000001' }, columns: [] },
  ])

  const text = await pair.cli(['validate', '--spec', pair.specFile, '--no-sequences', '--max-keys', '2'])
  assert.equal(text.code, 1, text.stderr)
  t.diagnostic(text.stdout)
  assert.match(text.stdout, /^public\.big: more than 2 rows differ, the first 2 listed \(3 of \d+ key ranges differ\)$/m)
  assert.match(text.stdout, /^ {2}changed +id=123457 +columns: amount$/m)
  assert.match(text.stdout, /^ {2}missing on destination +id=500000$/m)
  assert.doesNotMatch(text.stdout, /1000001/)
})
