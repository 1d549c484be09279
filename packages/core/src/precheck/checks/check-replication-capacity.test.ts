import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkReplicationCapacity } from './check-replication-capacity.js'
import { checkWalLevel } from './check-wal-level.js'

const prepare = createPrepare(support)

// the provoking cases need a server without room: see ../limited-source.test.ts
describe('checkReplicationCapacity and checkWalLevel', () => {
  test('a logical source with free slots and senders passes', async (t) => {
    const { context } = await prepare(t, { spec: 'types: [schema, full, incremental]' })
    assert.deepEqual(await checkReplicationCapacity.run(context), [])
    assert.deepEqual(await checkWalLevel.run(context), [])
  })
})
