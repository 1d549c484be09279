import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeStandbyStatus } from './encode-standby-status.js'
import { bytes } from './testing/byte-builder.js'

test("a standby status update is 'r', written, flushed, applied, clock, reply flag: 34 bytes", () => {
  const encoded = encodeStandbyStatus({
    written: 0x16_b374d878n,
    flushed: 0x16_b374d870n,
    applied: 0x16_b374d868n,
    clock: 796_996_800_123_456n,
    replyRequested: false,
  })
  const expected = bytes()
    .byte('r')
    .uint64(0x16_b374d878n)
    .uint64(0x16_b374d870n)
    .uint64(0x16_b374d868n)
    .int64(796_996_800_123_456n)
    .byte(0)
    .build()
  assert.equal(encoded.length, 34)
  assert.deepEqual(encoded, expected)
  assert.equal(encodeStandbyStatus({ written: 0n, flushed: 0n, applied: 0n, clock: 0n, replyRequested: true })[33], 1)
})
