import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeReplicationFrame } from './replication-frame.js'
import { bytes } from './testing/byte-builder.js'

test("XLogData 'w': start, end, send time, and the message bytes that follow", () => {
  const message = bytes().byte('E').build()
  const frame = decodeReplicationFrame(bytes().byte('w').uint64(0x1_0000_0010n).uint64(0x1_0000_0020n).int64(123n).raw(message).build())
  assert.equal(frame.kind, 'xlog_data')
  assert.ok(frame.kind === 'xlog_data')
  assert.equal(frame.walStart, 0x1_0000_0010n)
  assert.equal(frame.walEnd, 0x1_0000_0020n)
  assert.equal(frame.sendTime, 123n)
  assert.deepEqual(frame.data, message)
})

test("primary keepalive 'k': WAL end, send time, reply requested", () => {
  assert.deepEqual(decodeReplicationFrame(bytes().byte('k').uint64(0xabn).int64(5n).byte(1).build()), {
    kind: 'keepalive',
    walEnd: 0xabn,
    sendTime: 5n,
    replyRequested: true,
  })
  const quiet = decodeReplicationFrame(bytes().byte('k').uint64(0xabn).int64(5n).byte(0).build())
  assert.equal(quiet.kind === 'keepalive' && quiet.replyRequested, false)
})

test('unknown, empty and truncated frames are typed errors', () => {
  assert.throws(() => decodeReplicationFrame(bytes().byte('q').build()), {
    name: 'PgoutputDecodeError',
    code: 'UNKNOWN_MESSAGE',
    message: "unknown replication message type 'q' (0x71)",
  })
  assert.throws(() => decodeReplicationFrame(Buffer.alloc(0)), { code: 'EMPTY_MESSAGE' })
  assert.throws(() => decodeReplicationFrame(bytes().byte('w').uint64(1n).build()), { code: 'TRUNCATED' })
  assert.throws(() => decodeReplicationFrame(bytes().byte('k').uint64(1n).int64(1n).build()), { code: 'TRUNCATED' })
})
