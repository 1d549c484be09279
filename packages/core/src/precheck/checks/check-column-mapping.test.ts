import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkColumnMapping } from './check-column-mapping.js'

const prepare = createPrepare(support)

const source = 'CREATE TABLE orders (id int PRIMARY KEY, amount numeric, total numeric, note text)'
const mapped = (columns: string) =>
  `objects:\n  - schema: public\n    tables:\n      - name: orders\n        columns: ${columns}`

describe('checkColumnMapping', () => {
  test('COLUMN_RENAME_COLLISION and COLUMN_NOT_FOUND', async (t) => {
    const { context } = await prepare(t, {
      source,
      spec: mapped('{ exclude: [notes], rename: { amount: total, price: cost } }'),
    })
    assert.deepEqual(await checkColumnMapping.run(context), [
      {
        code: 'COLUMN_NOT_FOUND',
        severity: 'error',
        message:
          'columns.exclude of public.orders names column notes, which the table does not have',
        hint: 'Use a column of public.orders: id, amount, total, note.',
        object: 'public.orders.notes',
      },
      {
        code: 'COLUMN_NOT_FOUND',
        severity: 'error',
        message:
          'columns.rename of public.orders names column price, which the table does not have',
        hint: 'Use a column of public.orders: id, amount, total, note.',
        object: 'public.orders.price',
      },
      {
        code: 'COLUMN_RENAME_COLLISION',
        severity: 'error',
        message:
          'columns.rename of public.orders renames amount to total, but total is also a column ' +
          'of the table and is kept under its own name',
        hint: 'Exclude total, rename it as well, or pick another name for amount.',
        object: 'public.orders.amount',
      },
    ])
  })

  test('renaming onto an excluded or renamed-away column is fine', async (t) => {
    const excluded = await prepare(t, {
      source,
      spec: mapped('{ exclude: [total], rename: { amount: total } }'),
    })
    assert.deepEqual(await checkColumnMapping.run(excluded.context), [])
    const moved = await prepare(t, {
      source,
      spec: mapped('{ rename: { amount: total, total: old_total } }'),
    })
    assert.deepEqual(await checkColumnMapping.run(moved.context), [])
  })
})
