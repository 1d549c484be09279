import { ByteReader } from './byte-reader.js'
import { decodeTupleData } from './decode-tuple-data.js'
import { PgoutputDecodeError, describeByte } from './pgoutput-decode-error.js'
import type {
  DeleteMessage,
  PgoutputMessage,
  RelationColumn,
  ReplicaIdentity,
  Tuple,
  UpdateMessage,
} from './pgoutput-message.js'

/** What the decoder must know besides the bytes. */
export interface PgoutputDecodeContext {
  /**
   * Inside a Stream Start ... Stream Stop block: changes, relation, type and message messages
   * then begin with the xid of their (sub)transaction. The bytes do not say so themselves,
   * which is why {@link PgoutputDecoder} tracks it.
   */
  readonly inStream: boolean
}

const MESSAGE_NAMES: Readonly<Record<number, string>> = {
  0x42: 'Begin',
  0x43: 'Commit',
  0x4f: 'Origin',
  0x52: 'Relation',
  0x59: 'Type',
  0x49: 'Insert',
  0x55: 'Update',
  0x44: 'Delete',
  0x54: 'Truncate',
  0x4d: 'Message',
  0x53: 'Stream Start',
  0x45: 'Stream Stop',
  0x63: 'Stream Commit',
  0x41: 'Stream Abort',
}

const REPLICA_IDENTITIES: Readonly<Record<number, ReplicaIdentity>> = {
  0x64: 'default', // 'd'
  0x6e: 'nothing', // 'n'
  0x66: 'full', // 'f'
  0x69: 'index', // 'i'
}

/**
 * Decodes one pgoutput message (the payload of an XLogData frame). Pure. Every byte must be
 * accounted for: a message longer than its format is an error, not something to skip, since a
 * misread xid prefix or tuple would otherwise pass as valid data.
 * @throws PgoutputDecodeError for an unknown message type, tuple kind or replica identity, a
 *   truncated message or trailing bytes
 */
export function decodePgoutputMessage(buffer: Buffer, context: PgoutputDecodeContext): PgoutputMessage {
  if (buffer.length === 0) throw new PgoutputDecodeError('EMPTY_MESSAGE', 'empty pgoutput message')
  const type = buffer[0] ?? 0
  const name = MESSAGE_NAMES[type]
  if (name === undefined) {
    throw new PgoutputDecodeError('UNKNOWN_MESSAGE', `unknown pgoutput message type ${describeByte(type)}`, type)
  }
  const reader = new ByteReader(buffer, `pgoutput ${name} message`, 1)
  const message = decodeBody(type, reader, context.inStream)
  if (reader.remaining > 0) {
    throw new PgoutputDecodeError(
      'TRAILING_BYTES',
      `pgoutput ${name} message has ${reader.remaining} unexpected trailing bytes` +
        (context.inStream ? '' : ' (a streamed change outside Stream Start/Stop?)'),
      type,
    )
  }
  return message
}

function decodeBody(type: number, reader: ByteReader, inStream: boolean): PgoutputMessage {
  const streamXid = (): number | null => (inStream ? reader.uint32() : null)
  switch (type) {
    case 0x42: // 'B'
      return { kind: 'begin', finalLsn: reader.uint64(), commitTime: reader.int64(), xid: reader.uint32() }
    case 0x43: // 'C'
      return {
        kind: 'commit',
        flags: reader.uint8(),
        commitLsn: reader.uint64(),
        endLsn: reader.uint64(),
        commitTime: reader.int64(),
      }
    case 0x4f: // 'O'
      return { kind: 'origin', originLsn: reader.uint64(), name: reader.cstring() }
    case 0x52: // 'R'
      return decodeRelation(reader, streamXid())
    case 0x59: // 'Y'
      return { kind: 'type', xid: streamXid(), typeOid: reader.uint32(), schema: reader.cstring(), name: reader.cstring() }
    case 0x49: {
      // 'I'
      const xid = streamXid()
      const relationOid = reader.uint32()
      expectByte(reader, 0x4e, 'Insert')
      return { kind: 'insert', xid, relationOid, new: decodeTupleData(reader) }
    }
    case 0x55: // 'U'
      return decodeUpdate(reader, streamXid())
    case 0x44: // 'D'
      return decodeDelete(reader, streamXid())
    case 0x54: {
      // 'T'
      const xid = streamXid()
      const count = reader.int32()
      const options = reader.uint8()
      const relationOids: number[] = []
      for (let index = 0; index < count; index++) relationOids.push(reader.uint32())
      return { kind: 'truncate', xid, cascade: (options & 1) !== 0, restartIdentity: (options & 2) !== 0, relationOids }
    }
    case 0x4d: {
      // 'M'
      const xid = streamXid()
      const flags = reader.uint8()
      const lsn = reader.uint64()
      const prefix = reader.cstring()
      const content = reader.bytes(reader.int32())
      return { kind: 'message', xid, transactional: (flags & 1) !== 0, lsn, prefix, content }
    }
    case 0x53: // 'S'
      return { kind: 'stream_start', xid: reader.uint32(), firstSegment: reader.uint8() === 1 }
    case 0x45: // 'E'
      return { kind: 'stream_stop' }
    case 0x63: // 'c'
      return {
        kind: 'stream_commit',
        xid: reader.uint32(),
        flags: reader.uint8(),
        commitLsn: reader.uint64(),
        endLsn: reader.uint64(),
        commitTime: reader.int64(),
      }
    case 0x41: {
      // 'A'
      const xid = reader.uint32()
      const subxid = reader.uint32()
      // protocol 4 appends the abort's LSN and time; earlier versions end here
      const extended = reader.remaining >= 16
      return {
        kind: 'stream_abort',
        xid,
        subxid,
        abortLsn: extended ? reader.uint64() : null,
        abortTime: extended ? reader.int64() : null,
      }
    }
    default:
      throw new PgoutputDecodeError('UNKNOWN_MESSAGE', `unknown pgoutput message type ${describeByte(type)}`, type)
  }
}

function decodeRelation(reader: ByteReader, xid: number | null): PgoutputMessage {
  const relationOid = reader.uint32()
  const schema = reader.cstring()
  const name = reader.cstring()
  const identityByte = reader.uint8()
  const replicaIdentity = REPLICA_IDENTITIES[identityByte]
  if (replicaIdentity === undefined) {
    throw new PgoutputDecodeError(
      'UNKNOWN_REPLICA_IDENTITY',
      `unknown replica identity ${describeByte(identityByte)} in the pgoutput Relation message of ${schema}.${name}`,
      identityByte,
    )
  }
  const count = reader.int16()
  const columns: RelationColumn[] = []
  for (let index = 0; index < count; index++) {
    const flags = reader.uint8()
    columns.push({ name: reader.cstring(), isKey: (flags & 1) !== 0, flags, typeOid: reader.uint32(), typeMod: reader.int32() })
  }
  return { kind: 'relation', xid, relationOid, schema, name, replicaIdentity, columns }
}

function decodeUpdate(reader: ByteReader, xid: number | null): UpdateMessage {
  const relationOid = reader.uint32()
  let key: Tuple | null = null
  let old: Tuple | null = null
  let marker = reader.uint8()
  if (marker === 0x4b) {
    // 'K'
    key = decodeTupleData(reader)
    marker = reader.uint8()
  } else if (marker === 0x4f) {
    // 'O'
    old = decodeTupleData(reader)
    marker = reader.uint8()
  }
  if (marker !== 0x4e) throw unexpectedByte(marker, "'K', 'O' or 'N'", 'Update')
  return { kind: 'update', xid, relationOid, key, old, new: decodeTupleData(reader) }
}

function decodeDelete(reader: ByteReader, xid: number | null): DeleteMessage {
  const relationOid = reader.uint32()
  const marker = reader.uint8()
  if (marker === 0x4b) return { kind: 'delete', xid, relationOid, key: decodeTupleData(reader), old: null }
  if (marker === 0x4f) return { kind: 'delete', xid, relationOid, key: null, old: decodeTupleData(reader) }
  throw unexpectedByte(marker, "'K' or 'O'", 'Delete')
}

function expectByte(reader: ByteReader, expected: number, message: string): void {
  const byte = reader.uint8()
  if (byte !== expected) throw unexpectedByte(byte, describeByte(expected), message)
}

function unexpectedByte(byte: number, expected: string, message: string): PgoutputDecodeError {
  return new PgoutputDecodeError(
    'UNEXPECTED_MARKER',
    `pgoutput ${message} message: expected ${expected} before a tuple, got ${describeByte(byte)}`,
    byte,
  )
}
