import assert from 'node:assert/strict'
import { test } from 'node:test'
import { migratedPair } from './validate-kit.js'

test('a table without a usable key: a changed row is found by its checksum, and the report says why no key is named', async (t) => {
  const pair = await migratedPair(
    t,
    `CREATE TABLE readings (sensor text, at timestamptz, value float8);
     INSERT INTO readings SELECT 's' || (g % 10), timestamptz '2024-01-01Z' + g * interval '1 min', g / 7.0
       FROM generate_series(1, 5000) g;
     -- a unique key over a nullable column does not name rows
     CREATE TABLE tags (name text UNIQUE, weight int);
     INSERT INTO tags SELECT 'tag' || g, g FROM generate_series(1, 100) g;`,
    '',
  )
  await pair.sql('destination', `UPDATE readings SET value = value + 1 WHERE sensor = 's3' AND at = '2024-01-01 00:03:00Z'`)
  const run = await pair.cli(['validate', '--spec', pair.specFile])
  assert.equal(run.code, 1, run.stdout + run.stderr)
  assert.match(
    run.stdout,
    /^public\.readings: the differing rows cannot be named: it has no primary key and no unique key over NOT NULL columns$/m,
  )

  const report = await pair.validate()
  const readings = report.tables.find((table) => table.tableId === 'table:public.readings')
  assert.equal(readings?.status, 'different')
  assert.equal(readings?.sourceRows, 5000)
  assert.equal(readings?.destinationRows, 5000)
  assert.equal(readings?.checksum, 'different')
  assert.deepEqual(readings?.key, [])
  assert.deepEqual(readings?.differences, [])
  const tags = report.tables.find((table) => table.tableId === 'table:public.tags')
  assert.equal(tags?.status, 'equal')
  assert.deepEqual(tags?.key, [])
})
