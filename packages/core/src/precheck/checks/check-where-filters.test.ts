import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkWhereFilters } from './check-where-filters.js'

const prepare = createPrepare(support)

const source = 'CREATE TABLE orders (id int PRIMARY KEY, region text, created_at date)'
const filtered = (where: string) =>
  'objects:\n  - schema: public\n    tables:\n      - name: orders\n' +
  `        where: ${JSON.stringify(where)}`

describe('checkWhereFilters', () => {
  test('WHERE_FILTER_COLUMN: a filter reading a column the table does not have', async (t) => {
    const { context } = await prepare(t, { source, spec: filtered("regoin = 'eu' and id > 0") })
    assert.deepEqual(await checkWhereFilters.run(context), [
      {
        code: 'WHERE_FILTER_COLUMN',
        severity: 'error',
        message:
          'the where filter of public.orders reads column regoin, which the table does not have',
        hint: 'Use columns of public.orders: id, region, created_at.',
        object: 'public.orders',
      },
    ])
  })

  test('WHERE_FILTER_INVALID: the source refuses the filter', async (t) => {
    const { context } = await prepare(t, { source, spec: filtered('created_at > 5') })
    const findings = await checkWhereFilters.run(context)
    assert.equal(findings.length, 1)
    assert.equal(findings[0]?.code, 'WHERE_FILTER_INVALID')
    assert.equal(findings[0]?.severity, 'error')
    assert.equal(
      findings[0]?.message,
      'the where filter of public.orders is refused by the source: operator does not exist: ' +
        'date > integer',
    )
  })

  test('a valid filter passes', async (t) => {
    const spec = filtered("created_at >= '2024-01-01' and region = 'eu'")
    const { context } = await prepare(t, { source, spec })
    assert.deepEqual(await checkWhereFilters.run(context), [])
  })
})
