import assert from 'node:assert/strict'
import { test } from 'node:test'
import { prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import { validateMigration } from '../../packages/core/src/validate/index.js'
import { createPair, loadSpec } from '../copy/copy-test-kit.js'
import { TABLES, TYPES_SQL } from '../copy/type-matrix.js'
import { withClient } from '../support/test-databases.js'
import { migratedPair } from './validate-kit.js'

test('values whose text is tricky (float extremes, NaN, infinities, BC timestamps, jsonb, arrays, bytea with NUL) validate equal after the copy', async (t) => {
  const pair = await migratedPair(t, TYPES_SQL, 'options: { parallel: { tables: 3 } }')
  // ranges of 2 rows: every range predicate and every key read goes through these types' tables
  const report = await pair.validate({ sequences: false, rowsPerRange: 2 })
  assert.equal(report.status, 'equal', JSON.stringify(report.tables.filter((table) => table.status !== 'equal'), null, 2))
  assert.deepEqual(report.tables.map((table) => table.source.name).sort(), [...TABLES].sort())
  assert.ok(report.tables.every((table) => (table.sourceRows ?? 0) > 0))

  // NULL against '', and one byte of a bytea, are differences, and are named as such
  await pair.sql(
    'destination',
    `UPDATE texts SET t = NULL WHERE id = 5; UPDATE bytes SET b = '\\x0000' WHERE id = 1;
     UPDATE numbers SET d = '-0' WHERE id = 7;`,
  )
  const changed = await pair.validate({ sequences: false })
  const differences = Object.fromEntries(
    changed.tables.filter((table) => table.status !== 'equal').map((table) => [table.source.name, table.differences]),
  )
  assert.deepEqual(differences, {
    bytes: [{ kind: 'changed', key: { id: '1' }, columns: [{ source: 'b', destination: 'b' }] }],
    numbers: [{ kind: 'changed', key: { id: '7' }, columns: [{ source: 'd', destination: 'd' }] }],
    texts: [{ kind: 'changed', key: { id: '5' }, columns: [{ source: 't', destination: 't' }] }],
  })
})

test('destination columns of other types: the source side is cast as the copy casts it', async (t) => {
  const pair = await createPair(t)
  await withClient(pair.sourceDb.url, (client) =>
    client.query(`
      CREATE TABLE m (id int PRIMARY KEY, v text, n numeric, f real, at timestamp);
      INSERT INTO m VALUES (1, 'abc', 1.005, 1.5, '2024-02-03 04:05:06'), (2, NULL, -2, NULL, NULL);`),
  )
  await withClient(pair.destinationDb.url, (client) =>
    client.query(
      'CREATE TABLE m (id bigint PRIMARY KEY, v varchar(3), n numeric(10,2), f double precision, at timestamptz)',
    ),
  )
  const spec = await loadSpec(pair, 'conflicts: ignore')
  await runFullCopy({ ...pair, spec, plan: await prepareCopyPlan(pair.source, pair.destination, spec) })
  const report = await validateMigration({ source: pair.source, destination: pair.destination, spec })
  assert.equal(report.status, 'equal', JSON.stringify(report, null, 2))
  assert.equal(report.tables[0]?.destinationRows, 2)
})
