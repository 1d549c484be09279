import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkPartitionSelection } from './check-partition-selection.js'

const prepare = createPrepare(support)

const source = `
  CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
  CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`
const tables = (...names: string[]) =>
  ['objects:', '  - schema: public', '    tables:', ...names.map((name) => `      - name: ${name}`)]
    .join('\n')

describe('checkPartitionSelection', () => {
  test('PARTITION_SELECTION: a parent without all of its partitions', async (t) => {
    const { context } = await prepare(t, { source, spec: tables('events', 'events_2024') })
    assert.deepEqual(await checkPartitionSelection.run(context), [
      {
        code: 'PARTITION_SELECTION',
        severity: 'error',
        message:
          'partitioned table public.events is selected without its partitions ' +
          'public.events_2025: their rows would be missing, and rows routed to them on the ' +
          'destination would fail',
        hint: 'Select public.events_2025 too (or the whole schema), or leave the parent out.',
        object: 'public.events',
      },
    ])
  })

  test('PARTITION_SELECTION: a partition without its parent', async (t) => {
    const { context } = await prepare(t, { source, spec: tables('events_2025') })
    const findings = await checkPartitionSelection.run(context)
    assert.deepEqual(
      findings.map((finding) => [finding.object, finding.message]),
      [
        [
          'public.events_2025',
          'partition public.events_2025 is selected without its parent public.events: the ' +
            'destination cannot create a partition of a table it does not have',
        ],
      ],
    )
  })

  test('the whole tree, or the whole schema, is fine', async (t) => {
    const spec = tables('events', 'events_2024', 'events_2025')
    const { context } = await prepare(t, { source, spec })
    assert.deepEqual(await checkPartitionSelection.run(context), [])
    const whole = await prepare(t, { source })
    assert.deepEqual(await checkPartitionSelection.run(whole.context), [])
  })
})
