import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { introspectSchema } from '@pgshift/schema-diff'
import { prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import { scopeSchemaModel } from '../../packages/core/src/schema/index.js'
import { resolveSelection } from '../../packages/core/src/selection/index.js'
import { sequencePairs, syncSequences } from '../../packages/core/src/sequences/index.js'
import { validateMigration } from '../../packages/core/src/validate/index.js'
import { runSqlFile } from '../support/client-tools.js'
import { withClient } from '../support/test-databases.js'
import { createDestinationSchema, createPair, finishDestinationSchema, loadSpec, PAGILA } from '../copy/copy-test-kit.js'

test('pagila copied by the engine validates equal: partitions keyed by their root, every type family of the sample', async (t) => {
  const pair = await createPair(t)
  runSqlFile(pair.sourceDb.url, path.join(PAGILA, 'pagila-schema.sql'))
  runSqlFile(pair.sourceDb.url, path.join(PAGILA, 'pagila-data.sql'))
  await withClient(pair.sourceDb.url, (client) => client.query('ANALYZE'))
  const spec = await loadSpec(pair, 'options: { parallel: { tables: 2 } }')
  await createDestinationSchema(pair)
  await runFullCopy({ ...pair, spec, plan: await prepareCopyPlan(pair.source, pair.destination, spec) })
  await finishDestinationSchema(pair)
  const model = await introspectSchema(pair.source.kysely)
  await syncSequences(pair.source, pair.destination, sequencePairs(spec, scopeSchemaModel(spec, model, resolveSelection(spec, model)).model))

  const report = await validateMigration({ ...pair, spec, options: { sourceModel: model, rowsPerRange: 5_000 } })
  const different = report.tables.filter((table) => table.status !== 'equal')
  assert.deepEqual(different, [])
  assert.equal(report.status, 'equal', JSON.stringify(report.sequences))
  assert.ok(report.tables.length >= 20)
  const rental = report.tables.find((table) => table.tableId === 'table:public.rental')
  assert.ok((rental?.ranges ?? 0) > 1, 'rental is compared in ranges')
  const partition = report.tables.find((table) => table.tableId === 'table:public.payment_p2022_01')
  assert.deepEqual(partition?.key, ['payment_date', 'payment_id'], "a partition uses its root's primary key")
  assert.ok((report.sequences ?? []).length >= 10)
})
