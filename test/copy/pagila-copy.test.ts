import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import type { CopyEvent } from '../../packages/core/src/copy/index.js'
import { runSqlFile } from '../support/client-tools.js'
import { withClient } from '../support/test-databases.js'
import {
  assertSameData,
  createDestinationSchema,
  createPair,
  finishDestinationSchema,
  listTables,
  loadSpec,
  PAGILA,
} from './copy-test-kit.js'

test('pagila: full copy, then post-data; every table equal on both sides; a second run copies nothing', async (t) => {
  const pair = await createPair(t)
  runSqlFile(pair.sourceDb.url, path.join(PAGILA, 'pagila-schema.sql'))
  runSqlFile(pair.sourceDb.url, path.join(PAGILA, 'pagila-data.sql'))
  await withClient(pair.sourceDb.url, (client) => client.query('ANALYZE'))
  // split the larger tables (rental, payment partitions...) so ranges are exercised too
  const spec = await loadSpec(pair, 'options: { parallel: { tables: 4, splitLargerThan: 256KiB } }')
  await createDestinationSchema(pair)
  const plan = await prepareCopyPlan(pair.source, pair.destination, spec)
  assert.ok(!plan.tables.some((table) => table.tableId === 'table:public.payment'), 'the partitioned parent is not copied')
  assert.ok(plan.tables.some((table) => table.tableId === 'table:public.payment_p2022_01'), 'its partitions are')
  assert.ok(plan.units.some((unit) => unit.id.startsWith('table:public.rental#')), 'rental is split')

  const events: CopyEvent[] = []
  const started = performance.now()
  const result = await runFullCopy({ ...pair, spec, plan, onEvent: (event) => events.push(event) })
  const seconds = ((performance.now() - started) / 1000).toFixed(2)
  t.diagnostic(`pagila copy: ${result.rows} rows, ${result.bytes} bytes, ${plan.units.length} units in ${seconds} s`)
  assert.equal(result.units.filter((unit) => unit.status === 'copied').length, plan.units.length)
  assert.equal(events.filter((event) => event.type === 'unit-done').length, plan.units.length)
  await finishDestinationSchema(pair)

  const tables = await listTables(pair.sourceDb.url, ['public'])
  assert.ok(tables.length >= 20, `pagila tables: ${tables.join(', ')}`)
  await assertSameData(pair, tables)

  const again = await runFullCopy({ ...pair, spec, plan })
  assert.equal(again.runId, null)
  assert.ok(again.units.every((unit) => unit.status === 'skipped'))
})
