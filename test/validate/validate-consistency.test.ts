import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { RangePoint } from '../../packages/core/src/validate/index.js'
import { migratedPair } from './validate-kit.js'

// Stands in for incremental replication: the hook is where validation would wait for the apply
// loop to pass the source's position.
test('with a consistency gate each range waits for the destination to catch up before it is read there', async (t) => {
  const pair = await migratedPair(
    t,
    `CREATE TABLE items (id int PRIMARY KEY, label text);
     INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 3000) g;`,
    'options: { parallel: { tables: 2 } }',
  )
  // a change the destination has not applied yet when validation starts
  await pair.sql('source', `UPDATE items SET label = 'renamed' WHERE id = 2500`)
  const points: RangePoint[] = []
  let applying: Promise<void> | undefined
  const report = await pair.validate({
    sequences: false,
    rowsPerRange: 1000,
    consistency: {
      waitForApplied: async (point) => {
        points.push(point)
        applying ??= pair.sql('destination', `UPDATE items SET label = 'renamed' WHERE id = 2500`)
        await applying
      },
    },
  })
  assert.equal(report.status, 'equal', JSON.stringify(report.tables, null, 2))
  assert.equal(report.tables[0]?.ranges, 3)
  assert.equal(points.length, 3, 'one wait per range, none for a re-check')
  for (const point of points) {
    assert.equal(point.tableId, 'table:public.items')
    assert.match(point.sourceLsn, /^[0-9A-F]+\/[0-9A-F]+$/)
  }

  // a difference that never settles is re-checked, then reported
  await pair.sql('destination', `DELETE FROM items WHERE id = 10`)
  const waits: RangePoint[] = []
  const different = await pair.validate({
    sequences: false,
    rowsPerRange: 1000,
    consistency: { waitForApplied: async (point) => void waits.push(point), rechecks: 1 },
  })
  assert.deepEqual(different.tables[0]?.differences, [{ kind: 'missing', key: { id: '10' }, columns: [] }])
  const firstRange = waits.filter((point) => point.range.lower === null && point.range.upper !== null)
  assert.ok(firstRange.length >= 2, 'the differing range was compared twice before it counted')
})
