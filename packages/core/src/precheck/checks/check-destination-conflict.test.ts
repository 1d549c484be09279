import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkDestinationConflict } from './check-destination-conflict.js'

const prepare = createPrepare(support)

const source = `
  CREATE SCHEMA sales;
  CREATE TABLE sales.orders (id int PRIMARY KEY);
  CREATE TABLE sales.items (id int PRIMARY KEY);
  CREATE TABLE sales.notes (id int PRIMARY KEY);`
const destination = `
  CREATE SCHEMA sales_eu;
  CREATE TABLE sales_eu.orders_archive (id int PRIMARY KEY);
  CREATE VIEW sales_eu.items AS SELECT 1 AS id;
  CREATE TABLE sales_eu.orders (id int);`
const objects = `
objects:
  - schema: sales
    rename: sales_eu
    tables:
      - name: orders
        rename: orders_archive
      - name: items
      - name: notes`

describe('checkDestinationConflict', () => {
  test('DESTINATION_CONFLICT: an error with conflicts: fail', async (t) => {
    const { context } = await prepare(t, { source, destination, spec: `conflicts: fail${objects}` })
    const findings = await checkDestinationConflict.run(context)
    assert.deepEqual(findings, [
      {
        code: 'DESTINATION_CONFLICT',
        severity: 'error',
        message:
          'the destination already has a view sales_eu.items (from sales.items), and ' +
          'conflicts is fail',
        hint:
          'Set conflicts: ignore to keep its rows and copy into it, drop it on the destination, ' +
          'or rename the table in the spec.',
        object: 'sales_eu.items',
      },
      {
        code: 'DESTINATION_CONFLICT',
        severity: 'error',
        message:
          'the destination already has a table sales_eu.orders_archive (from sales.orders), ' +
          'and conflicts is fail',
        hint:
          'Set conflicts: ignore to keep its rows and copy into it, drop it on the destination, ' +
          'or rename the table in the spec.',
        object: 'sales_eu.orders_archive',
      },
    ])
  })

  test('a warning listing them with conflicts: ignore', async (t) => {
    const spec = `conflicts: ignore${objects}`
    const { context } = await prepare(t, { source, destination, spec })
    const findings = await checkDestinationConflict.run(context)
    assert.deepEqual(
      findings.map((finding) => [finding.severity, finding.message]),
      [
        [
          'warning',
          'the destination already has a view sales_eu.items (from sales.items): with ' +
            'conflicts: ignore its rows stay, the copy adds to them and changes overwrite them',
        ],
        [
          'warning',
          'the destination already has a table sales_eu.orders_archive (from sales.orders): with ' +
            'conflicts: ignore its rows stay, the copy adds to them and changes overwrite them',
        ],
      ],
    )
  })

  test('an empty destination conflicts with nothing', async (t) => {
    const { context } = await prepare(t, { source, spec: `conflicts: fail${objects}` })
    assert.deepEqual(await checkDestinationConflict.run(context), [])
  })
})
