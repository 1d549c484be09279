import assert from 'node:assert/strict'
import { test } from 'node:test'
import { prepareIncremental } from '../../packages/core/src/apply/prepare-incremental.js'
import { FullCopyError, prepareCopyPlan, runFullCopy, selectCopyTables } from '../../packages/core/src/copy/index.js'
import { followChanges } from '../../packages/core/src/incremental/follow-changes.js'
import { inspectDatabases } from '../../packages/core/src/plan/index.js'
import { ensureStateSchema } from '../../packages/core/src/state/index.js'
import { assertSameData, createDestinationSchema, createPair, loadSpec } from '../copy/copy-test-kit.js'
import { withClient } from '../support/test-databases.js'

test('a keyless table split into page ranges, its copy interrupted and resumed under a newer snapshot, receives each later insert once', async (t) => {
  const pair = await createPair(t)
  await withClient(pair.sourceDb.url, (client) =>
    client.query(`CREATE TABLE heap (v text, n int);
                  INSERT INTO heap SELECT repeat(md5(i::text), 4), i % 100 FROM generate_series(1, 20000) AS i;
                  INSERT INTO heap VALUES ('the last row', -1);
                  ANALYZE;`),
  )
  const migration = pair.sourceDb.name.replace(/_/g, '-')
  const spec = await loadSpec(
    pair,
    'types: [full, incremental]\noptions: { parallel: { tables: 2, splitLargerThan: 512KiB }, retry: { other: 1s } }',
    migration,
  )
  await createDestinationSchema(pair)
  // the destination refuses the last row: the range holding the table's last pages fails
  await pair.destination.pool.query('ALTER TABLE heap ADD CONSTRAINT boom CHECK (n >= 0)')
  const inspection = await inspectDatabases(pair.source, pair.destination, spec)
  const client = await pair.destination.pool.connect()
  try {
    await ensureStateSchema(client)
    await prepareIncremental(spec, inspection, pair.source, client, () => {})
  } finally {
    client.release()
  }
  const first = await prepareCopyPlan(pair.source, pair.destination, spec)
  assert.equal(first.tables[0]?.split, 'pages')
  assert.ok(first.units.length > 2)
  const error = await runFullCopy({ ...pair, spec, plan: first }).then(
    () => assert.fail('the copy should fail'),
    (failure: unknown) => failure,
  )
  assert.ok(error instanceof FullCopyError)

  // rows committed after the first snapshot land in the last pages, which the resumed copy reads
  await withClient(pair.sourceDb.url, (client) =>
    client.query(`INSERT INTO heap SELECT 'late ' || i, i FROM generate_series(1, 100) AS i`),
  )
  await pair.destination.pool.query('ALTER TABLE heap DROP CONSTRAINT boom')
  await runFullCopy({ ...pair, spec, plan: await prepareCopyPlan(pair.source, pair.destination, spec) })
  const lsns = await pair.destination.pool.query('SELECT DISTINCT snapshot_lsn FROM pgshift.copy_units')
  assert.equal(lsns.rows.length, 1, 'every range of the keyless table holds one snapshot')

  await followChanges({
    source: pair.source,
    destination: pair.destination,
    spec,
    tables: selectCopyTables(spec, inspection.sourceModel),
    until: { kind: 'caught-up' },
  })
  await assertSameData(pair, ['public.heap'])
})
