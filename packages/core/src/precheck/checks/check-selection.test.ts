import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkSelection } from './check-selection.js'

const prepare = createPrepare(support)

describe('checkSelection', () => {
  test('OBJECT_NOT_FOUND: schemas and tables the source does not have', async (t) => {
    const { context } = await prepare(t, {
      source: 'CREATE TABLE orders (id int PRIMARY KEY)',
      spec: [
        'objects:',
        '  - schema: Sales',
        '  - schema: public',
        '    tables:',
        '      - name: orders',
        '      - name: order',
      ].join('\n'),
    })
    assert.deepEqual(await checkSelection.run(context), [
      {
        code: 'OBJECT_NOT_FOUND',
        severity: 'error',
        message: 'the spec selects schema "Sales", which the source does not have',
        hint:
          'Fix the name in objects (names are case-sensitive, as in the catalog), or check that ' +
          'the source URL points at the right database.',
        object: '"Sales"',
      },
      {
        code: 'OBJECT_NOT_FOUND',
        severity: 'error',
        message: 'the spec selects table public."order", which the source does not have',
        hint:
          'Fix the name in objects (names are case-sensitive, as in the catalog), or check that ' +
          'the source URL points at the right database.',
        object: 'public."order"',
      },
    ])
  })
})
