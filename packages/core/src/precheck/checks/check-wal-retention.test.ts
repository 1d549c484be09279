import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { assessWalRetention, checkWalRetention } from './check-wal-retention.js'

const prepare = createPrepare(support)

describe('checkWalRetention', () => {
  test('WAL_RETENTION: an unbounded max_slot_wal_keep_size is a warning', async (t) => {
    // the shared test clusters run with the default max_slot_wal_keep_size = -1
    const { context } = await prepare(t, {
      source: 'CREATE TABLE t (id int PRIMARY KEY)',
      spec: 'types: [schema, full, incremental]',
      options: { walSampleMs: 50 },
    })
    const findings = await checkWalRetention.run(context)
    assert.equal(findings.length, 1)
    assert.equal(findings[0]?.code, 'WAL_RETENTION')
    assert.equal(findings[0]?.severity, 'warning')
    assert.match(
      findings[0]?.message ?? '',
      new RegExp(
        '^the source must retain the WAL written during the full copy \\(.+ at 100\\.0 MB/s, about ' +
          '.+ s\\), and max_slot_wal_keep_size is unbounded \\(-1\\): a stalled migration lets ' +
          'its slot hold WAL until the disk is full$',
        'u',
      ),
    )
    assert.match(findings[0]?.hint ?? '', /^Set max_slot_wal_keep_size on the source/u)
    assert.match(findings[0]?.measured ?? '', /^.+\/s of WAL written now × .+ s = about .+ retained$/u)
  })

  test('nothing to retain without incremental', async (t) => {
    const { context } = await prepare(t, { options: { walSampleMs: 0 } })
    assert.deepEqual(await checkWalRetention.run(context), [])
  })

  test('the estimate is write rate × copy time, against the limit', () => {
    const input = {
      writeBytesPerSecond: 1024 * 1024,
      selectedBytes: 100 * 1024 * 1024,
      copyBytesPerSecond: 10 * 1024 * 1024,
      maxKeepBytes: 20 * 1024 * 1024,
    }
    // 10 s of copy at 1 MB/s of WAL: 10 MB, under 20 MB
    assert.equal(assessWalRetention(input), undefined)
    const over = assessWalRetention({ ...input, maxKeepBytes: 5 * 1024 * 1024 })
    assert.equal(
      over?.message,
      'the source must retain the WAL written during the full copy (100.0 MB at 10.0 MB/s, ' +
        'about 10 s), more than max_slot_wal_keep_size (5.0 MB) at the current write rate: the ' +
        'slot would be invalidated during the copy',
    )
    assert.equal(over?.measured, '1.0 MB/s of WAL written now × 10 s = about 10.0 MB retained')
  })
})
