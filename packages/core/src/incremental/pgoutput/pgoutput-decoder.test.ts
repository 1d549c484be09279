import assert from 'node:assert/strict'
import { test } from 'node:test'
import { bytes } from '../testing/byte-builder.js'
import { PgoutputDecoder } from './pgoutput-decoder.js'

test('PgoutputDecoder reads the xid prefix only between Stream Start and Stream Stop', () => {
  const decoder = new PgoutputDecoder()
  const insert = bytes().byte('I').uint32(16_385).byte('N').int16(1).text('1').build()
  const streamedInsert = bytes().byte('I').uint32(0x80000000).uint32(16_385).byte('N').int16(1).text('2').build()

  assert.deepEqual(decoder.decode(insert), { kind: 'insert', xid: null, relationOid: 16_385, new: [{ kind: 'text', text: '1' }] })
  assert.deepEqual(decoder.decode(bytes().byte('S').uint32(0x80000000).byte(1).build()), {
    kind: 'stream_start',
    xid: 2147483648,
    firstSegment: true,
  })
  assert.equal(decoder.inStream, true)
  assert.deepEqual(decoder.decode(streamedInsert), {
    kind: 'insert',
    xid: 2147483648,
    relationOid: 16_385,
    new: [{ kind: 'text', text: '2' }],
  })
  assert.deepEqual(decoder.decode(bytes().byte('E').build()), { kind: 'stream_stop' })
  assert.equal(decoder.inStream, false)
  const commit = decoder.decode(bytes().byte('c').uint32(0x80000000).byte(0).uint64(1n).uint64(2n).int64(3n).build())
  assert.equal(commit.kind, 'stream_commit')
  assert.deepEqual(decoder.decode(insert), { kind: 'insert', xid: null, relationOid: 16_385, new: [{ kind: 'text', text: '1' }] })
})

test('PgoutputDecoder refuses stream blocks that nest or stop unopened', () => {
  const decoder = new PgoutputDecoder()
  assert.throws(() => decoder.decode(bytes().byte('E').build()), { code: 'UNEXPECTED_MARKER' })
  decoder.decode(bytes().byte('S').uint32(1).byte(1).build())
  assert.throws(() => decoder.decode(bytes().byte('S').uint32(2).byte(1).build()), { code: 'UNEXPECTED_MARKER' })
})
