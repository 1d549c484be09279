import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pgTimestampToDate, unixMsToPgTimestamp } from './pg-timestamp.js'

test('pgTimestampToDate counts microseconds from 2000-01-01 UTC, flooring to milliseconds', () => {
  assert.equal(pgTimestampToDate(0n).toISOString(), '2000-01-01T00:00:00.000Z')
  // 2025-04-03 12:00:00.123456 UTC
  assert.equal(pgTimestampToDate(796_996_800_123_456n).toISOString(), '2025-04-03T12:00:00.123Z')
  assert.equal(pgTimestampToDate(-1n).toISOString(), '1999-12-31T23:59:59.999Z')
})

test('unixMsToPgTimestamp is the inverse at millisecond precision', () => {
  const now = Date.parse('2025-04-03T12:00:00.123Z')
  assert.equal(unixMsToPgTimestamp(now), 796_996_800_123_000n)
  assert.equal(pgTimestampToDate(unixMsToPgTimestamp(now)).getTime(), now)
})
