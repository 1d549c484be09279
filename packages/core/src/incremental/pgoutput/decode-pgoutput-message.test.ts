import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bytes } from '../testing/byte-builder.js'
import { decodePgoutputMessage } from './decode-pgoutput-message.js'
import { PgoutputDecodeError } from './pgoutput-decode-error.js'
import type { PgoutputMessage } from './pgoutput-message.js'

const outside = { inStream: false }
const inside = { inStream: true }
const decode = (buffer: Buffer, context = outside): PgoutputMessage => decodePgoutputMessage(buffer, context)

// an xid past 2^31: read as a signed Int32 it would come out negative
const BIG_XID = 0xfffffffe
const LSN = 0x16_b374d848n
const END_LSN = 0x16_b374d878n
const TIME = 796_915_200_123_456n

describe('decodePgoutputMessage: transaction framing', () => {
  test("Begin 'B': final LSN, commit time, an xid above 2^31 as unsigned", () => {
    const buffer = bytes().byte('B').uint64(LSN).int64(TIME).uint32(BIG_XID).build()
    assert.deepEqual(decode(buffer), { kind: 'begin', finalLsn: LSN, commitTime: TIME, xid: 4294967294 })
  })

  test("Commit 'C': flags, commit LSN, end LSN, commit time", () => {
    const buffer = bytes().byte('C').byte(0).uint64(LSN).uint64(END_LSN).int64(TIME).build()
    assert.deepEqual(decode(buffer), { kind: 'commit', flags: 0, commitLsn: LSN, endLsn: END_LSN, commitTime: TIME })
  })

  test('LSNs above 2^63 stay unsigned', () => {
    const buffer = bytes().byte('C').byte(0).uint64(0xffff_ffff_ffff_fff0n).uint64(0xffff_ffff_ffff_ffffn).int64(-1n).build()
    const message = decode(buffer)
    assert.equal(message.kind === 'commit' && message.endLsn, 0xffff_ffff_ffff_ffffn)
    assert.equal(message.kind === 'commit' && message.commitTime, -1n)
  })

  test("Origin 'O': origin LSN and name", () => {
    const buffer = bytes().byte('O').uint64(LSN).cstring('pg_16384').build()
    assert.deepEqual(decode(buffer), { kind: 'origin', originLsn: LSN, name: 'pg_16384' })
  })
})

describe('decodePgoutputMessage: Relation and Type', () => {
  const relation = (identity: string) =>
    bytes()
      .byte('R')
      .uint32(16_385)
      .cstring('app')
      .cstring('orders')
      .byte(identity)
      .int16(3)
      .byte(1)
      .cstring('id')
      .uint32(20)
      .int32(-1)
      .byte(0)
      .cstring('amount')
      .uint32(1700)
      .int32(((12 << 16) | 2) + 4)
      .byte(0)
      .cstring('note ü')
      .uint32(25)
      .int32(-1)

  test("Relation 'R': oid, schema, name, replica identity, columns with key flag, type oid and typmod", () => {
    assert.deepEqual(decode(relation('d').build()), {
      kind: 'relation',
      xid: null,
      relationOid: 16_385,
      schema: 'app',
      name: 'orders',
      replicaIdentity: 'default',
      columns: [
        { name: 'id', isKey: true, flags: 1, typeOid: 20, typeMod: -1 },
        { name: 'amount', isKey: false, flags: 0, typeOid: 1700, typeMod: 786_438 },
        { name: 'note ü', isKey: false, flags: 0, typeOid: 25, typeMod: -1 },
      ],
    })
  })

  test('every replica identity setting', () => {
    const identities = { d: 'default', n: 'nothing', f: 'full', i: 'index' }
    for (const [byte, identity] of Object.entries(identities)) {
      const message = decode(relation(byte).build())
      assert.equal(message.kind === 'relation' && message.replicaIdentity, identity)
    }
    assert.throws(() => decode(relation('x').build()), { name: 'PgoutputDecodeError', code: 'UNKNOWN_REPLICA_IDENTITY' })
  })

  test('a Relation inside a streamed block carries the xid first', () => {
    const buffer = bytes().byte('R').uint32(BIG_XID).uint32(7).cstring('public').cstring('t').byte('f').int16(0).build()
    assert.deepEqual(decode(buffer, inside), {
      kind: 'relation',
      xid: BIG_XID,
      relationOid: 7,
      schema: 'public',
      name: 't',
      replicaIdentity: 'full',
      columns: [],
    })
  })

  test("Type 'Y': oid, schema, name", () => {
    const buffer = bytes().byte('Y').uint32(16_400).cstring('public').cstring('mood').build()
    assert.deepEqual(decode(buffer), { kind: 'type', xid: null, typeOid: 16_400, schema: 'public', name: 'mood' })
    const streamed = bytes().byte('Y').uint32(99).uint32(16_400).cstring('public').cstring('mood').build()
    assert.deepEqual(decode(streamed, inside), { kind: 'type', xid: 99, typeOid: 16_400, schema: 'public', name: 'mood' })
  })
})

describe('decodePgoutputMessage: changes', () => {
  test("Insert 'I': NULL, unchanged TOAST, text (UTF-8, empty, exact digits) and binary values", () => {
    const buffer = bytes()
      .byte('I')
      .uint32(16_385)
      .byte('N')
      .int16(7)
      .byte('n')
      .byte('u')
      .text('')
      .text('12345678901234567890.123456789012345678901234567890')
      .text('{"a": 1.0}')
      .text('žluťoučký 🐘')
      .byte('b')
      .int32(3)
      .raw(Buffer.from([0, 255, 16]))
      .build()
    assert.deepEqual(decode(buffer), {
      kind: 'insert',
      xid: null,
      relationOid: 16_385,
      new: [
        { kind: 'null' },
        { kind: 'unchanged_toast' },
        { kind: 'text', text: '' },
        { kind: 'text', text: '12345678901234567890.123456789012345678901234567890' },
        { kind: 'text', text: '{"a": 1.0}' },
        { kind: 'text', text: 'žluťoučký 🐘' },
        { kind: 'binary', bytes: Buffer.from([0, 255, 16]) },
      ],
    })
  })

  test('an Insert inside a streamed block carries the xid first', () => {
    const buffer = bytes().byte('I').uint32(BIG_XID).uint32(16_385).byte('N').int16(1).text('1').build()
    assert.deepEqual(decode(buffer, inside), { kind: 'insert', xid: BIG_XID, relationOid: 16_385, new: [{ kind: 'text', text: '1' }] })
  })

  test("Update 'U' without old data: the key did not change", () => {
    const buffer = bytes().byte('U').uint32(16_385).byte('N').int16(2).text('1').byte('u').build()
    assert.deepEqual(decode(buffer), {
      kind: 'update',
      xid: null,
      relationOid: 16_385,
      key: null,
      old: null,
      new: [{ kind: 'text', text: '1' }, { kind: 'unchanged_toast' }],
    })
  })

  test("Update with 'K': the old key, other columns NULL", () => {
    const buffer = bytes().byte('U').uint32(16_385).byte('K').int16(2).text('1').byte('n').byte('N').int16(2).text('2').text('x').build()
    assert.deepEqual(decode(buffer), {
      kind: 'update',
      xid: null,
      relationOid: 16_385,
      key: [{ kind: 'text', text: '1' }, { kind: 'null' }],
      old: null,
      new: [
        { kind: 'text', text: '2' },
        { kind: 'text', text: 'x' },
      ],
    })
  })

  test("Update with 'O' (replica identity FULL), inside a stream", () => {
    const buffer = bytes().byte('U').uint32(5).uint32(16_385).byte('O').int16(1).text('a').byte('N').int16(1).text('b').build()
    assert.deepEqual(decode(buffer, inside), {
      kind: 'update',
      xid: 5,
      relationOid: 16_385,
      key: null,
      old: [{ kind: 'text', text: 'a' }],
      new: [{ kind: 'text', text: 'b' }],
    })
  })

  test("Delete 'D' with 'K' and with 'O'", () => {
    const withKey = bytes().byte('D').uint32(16_385).byte('K').int16(2).text('7').byte('n').build()
    assert.deepEqual(decode(withKey), {
      kind: 'delete',
      xid: null,
      relationOid: 16_385,
      key: [{ kind: 'text', text: '7' }, { kind: 'null' }],
      old: null,
    })
    const withOld = bytes().byte('D').uint32(BIG_XID).uint32(16_385).byte('O').int16(1).text('7').build()
    assert.deepEqual(decode(withOld, inside), {
      kind: 'delete',
      xid: BIG_XID,
      relationOid: 16_385,
      key: null,
      old: [{ kind: 'text', text: '7' }],
    })
  })

  test("Truncate 'T': several relations in one message, CASCADE and RESTART IDENTITY flags", () => {
    const buffer = bytes().byte('T').int32(3).byte(3).uint32(16_385).uint32(16_390).uint32(BIG_XID).build()
    assert.deepEqual(decode(buffer), {
      kind: 'truncate',
      xid: null,
      cascade: true,
      restartIdentity: true,
      relationOids: [16_385, 16_390, BIG_XID],
    })
    const plain = bytes().byte('T').uint32(12).int32(2).byte(0).uint32(1).uint32(2).build()
    assert.deepEqual(decode(plain, inside), { kind: 'truncate', xid: 12, cascade: false, restartIdentity: false, relationOids: [1, 2] })
    const restartOnly = bytes().byte('T').int32(1).byte(2).uint32(1).build()
    const message = decode(restartOnly)
    assert.ok(message.kind === 'truncate' && !message.cascade && message.restartIdentity)
  })

  test("Message 'M': transactional flag, LSN, prefix, content bytes kept raw", () => {
    const content = Buffer.from([0x68, 0x69, 0x00, 0xff])
    const buffer = bytes().byte('M').byte(1).uint64(LSN).cstring('pgshift').int32(content.length).raw(content).build()
    assert.deepEqual(decode(buffer), { kind: 'message', xid: null, transactional: true, lsn: LSN, prefix: 'pgshift', content })
    const streamed = bytes().byte('M').uint32(BIG_XID).byte(0).uint64(LSN).cstring('').int32(0).build()
    assert.deepEqual(decode(streamed, inside), {
      kind: 'message',
      xid: BIG_XID,
      transactional: false,
      lsn: LSN,
      prefix: '',
      content: Buffer.alloc(0),
    })
  })
})

describe('decodePgoutputMessage: protocol 2 streaming', () => {
  test("Stream Start 'S': xid and first-segment flag", () => {
    assert.deepEqual(decode(bytes().byte('S').uint32(BIG_XID).byte(1).build()), { kind: 'stream_start', xid: BIG_XID, firstSegment: true })
    assert.deepEqual(decode(bytes().byte('S').uint32(42).byte(0).build()), { kind: 'stream_start', xid: 42, firstSegment: false })
  })

  test("Stream Stop 'E': no fields", () => {
    assert.deepEqual(decode(bytes().byte('E').build(), inside), { kind: 'stream_stop' })
  })

  test("Stream Commit 'c': xid, flags, commit LSN, end LSN, commit time", () => {
    const buffer = bytes().byte('c').uint32(BIG_XID).byte(0).uint64(LSN).uint64(END_LSN).int64(TIME).build()
    assert.deepEqual(decode(buffer), {
      kind: 'stream_commit',
      xid: BIG_XID,
      flags: 0,
      commitLsn: LSN,
      endLsn: END_LSN,
      commitTime: TIME,
    })
  })

  test("Stream Abort 'A': xid and subxid; protocol 4's abort LSN and time when present", () => {
    assert.deepEqual(decode(bytes().byte('A').uint32(BIG_XID).uint32(BIG_XID + 1).build()), {
      kind: 'stream_abort',
      xid: BIG_XID,
      subxid: BIG_XID + 1,
      abortLsn: null,
      abortTime: null,
    })
    assert.deepEqual(decode(bytes().byte('A').uint32(1).uint32(2).uint64(LSN).int64(TIME).build()), {
      kind: 'stream_abort',
      xid: 1,
      subxid: 2,
      abortLsn: LSN,
      abortTime: TIME,
    })
  })
})

describe('decodePgoutputMessage: malformed input is a typed error', () => {
  test('an unknown message type names the byte', () => {
    const error = captureError(() => decode(bytes().byte('X').uint32(1).build()))
    assert.equal(error.code, 'UNKNOWN_MESSAGE')
    assert.equal(error.byte, 0x58)
    assert.match(error.message, /unknown pgoutput message type 'X' \(0x58\)/)
    // protocol 3's two-phase messages are not enabled by this project, so they are unknown too
    assert.equal(captureError(() => decode(bytes().byte('P').build())).code, 'UNKNOWN_MESSAGE')
    assert.match(captureError(() => decode(bytes().byte(0x01).build())).message, /type 0x01/)
  })

  test('an empty message', () => {
    assert.equal(captureError(() => decode(Buffer.alloc(0))).code, 'EMPTY_MESSAGE')
  })

  test('a truncated message names the message and what was missing', () => {
    const error = captureError(() => decode(bytes().byte('B').uint64(LSN).int64(TIME).byte(0).build()))
    assert.equal(error.code, 'TRUNCATED')
    assert.match(error.message, /pgoutput Begin message is truncated: expected an Int32 at byte 17 of 18/)
    const text = bytes().byte('I').uint32(1).byte('N').int16(1).byte('t').int32(10).raw('abc').build()
    assert.match(captureError(() => decode(text)).message, /Insert message is truncated: expected 10 bytes of text/)
    const name = bytes().byte('Y').uint32(1).cstring('public').raw('mood').build()
    assert.match(captureError(() => decode(name)).message, /NUL-terminated string/)
  })

  test('trailing bytes, as a streamed change decoded outside its block would leave', () => {
    const streamed = bytes().byte('T').uint32(12).int32(0).byte(0).build()
    const error = captureError(() => decode(streamed))
    assert.ok(error.code === 'TRAILING_BYTES' || error.code === 'TRUNCATED')
    const trailing = bytes().byte('E').byte(0).build()
    assert.equal(captureError(() => decode(trailing)).code, 'TRAILING_BYTES')
  })

  test('an unknown tuple value kind names the byte and column', () => {
    const buffer = bytes().byte('I').uint32(1).byte('N').int16(2).text('1').byte('z').build()
    const error = captureError(() => decode(buffer))
    assert.equal(error.code, 'UNKNOWN_TUPLE_KIND')
    assert.equal(error.byte, 0x7a)
    assert.match(error.message, /kind 'z' \(0x7a\) in column 2 of 2/)
  })

  test('a change without its tuple marker', () => {
    assert.equal(captureError(() => decode(bytes().byte('I').uint32(1).byte('K').int16(0).build())).code, 'UNEXPECTED_MARKER')
    assert.equal(captureError(() => decode(bytes().byte('U').uint32(1).byte('X').build())).code, 'UNEXPECTED_MARKER')
    assert.equal(captureError(() => decode(bytes().byte('D').uint32(1).byte('N').int16(0).build())).code, 'UNEXPECTED_MARKER')
  })
})

function captureError(fn: () => unknown): PgoutputDecodeError {
  try {
    fn()
  } catch (error) {
    assert.ok(error instanceof PgoutputDecodeError, `expected a PgoutputDecodeError, got ${String(error)}`)
    return error
  }
  assert.fail('expected an error')
}
