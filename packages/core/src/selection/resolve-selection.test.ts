import assert from 'node:assert/strict'
import { describe as suite, test } from 'node:test'
import * as support from '../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck/precheck-test-helpers.js'
import type { SelectedTable } from './resolve-selection.js'

const prepare = createPrepare(support)

const describe = (table: SelectedTable) =>
  `${table.sourceName} -> ${table.destinationQualifiedName}`

const source = `
  CREATE SCHEMA sales;
  CREATE TABLE sales.orders (id serial PRIMARY KEY);
  CREATE TABLE sales.tmp_orders (id int);
  CREATE TABLE sales."Items" (id int);
  CREATE SEQUENCE sales.tmp_counter;
  CREATE SEQUENCE sales.invoice_numbers;
  CREATE TABLE public.notes (id int);`

suite('resolveSelection', () => {
  test('objects left out: every table and sequence', async (t) => {
    const { context } = await prepare(t, { source })
    assert.deepEqual(
      context.selection.tables.map(describe),
      [
        'public.notes -> public.notes',
        'sales."Items" -> sales."Items"',
        'sales.orders -> sales.orders',
        'sales.tmp_orders -> sales.tmp_orders',
      ],
    )
    assert.deepEqual(context.selection.sequences, [
      'sequence:sales.invoice_numbers',
      'sequence:sales.orders_id_seq',
      'sequence:sales.tmp_counter',
    ])
  })

  test('a renamed schema with exclude globs', async (t) => {
    const { context } = await prepare(t, {
      source,
      spec: 'objects:\n  - schema: sales\n    rename: sales_eu\n    exclude: ["tmp_*"]',
    })
    assert.deepEqual(
      context.selection.tables.map(describe),
      ['sales."Items" -> sales_eu."Items"', 'sales.orders -> sales_eu.orders'],
    )
    assert.deepEqual(context.selection.sequences, [
      'sequence:sales.invoice_numbers',
      'sequence:sales.orders_id_seq',
    ])
    assert.deepEqual(context.selection.missing, [])
  })

  test('listed tables take their mapping, operations and owned sequences', async (t) => {
    const { context } = await prepare(t, {
      source,
      spec: [
        'objects:',
        '  - schema: sales',
        '    tables:',
        '      - name: orders',
        '        rename: orders_archive',
        '        operations: [insert]',
        '      - name: gone',
      ].join('\n'),
    })
    const [orders] = context.selection.tables
    assert.equal(context.selection.tables.length, 1)
    assert.equal(orders?.destinationQualifiedName, 'sales.orders_archive')
    assert.deepEqual(orders?.operations, ['insert'])
    assert.deepEqual(context.selection.sequences, ['sequence:sales.orders_id_seq'])
    assert.deepEqual(context.selection.missing, [{ kind: 'table', name: 'sales.gone' }])
  })
})
