import { ByteReader } from './pgoutput/byte-reader.js'
import { PgoutputDecodeError, describeByte } from './pgoutput/pgoutput-decode-error.js'

/**
 * One CopyData message of a logical replication stream, as the walsender sends it
 * ("Streaming Replication Protocol" in the PostgreSQL docs).
 */
export type ReplicationFrame = XLogDataFrame | PrimaryKeepaliveFrame

/** 'w': one pgoutput message and where it sits in the WAL. */
export interface XLogDataFrame {
  readonly kind: 'xlog_data'
  /** The WAL position of the message (0 for messages that are not changes, e.g. Relation). */
  readonly walStart: bigint
  /** The end of WAL on the server when it was sent. */
  readonly walEnd: bigint
  /** The server's clock at sending, microseconds since 2000-01-01 UTC. */
  readonly sendTime: bigint
  /** The pgoutput message; a view into the frame, not a copy. */
  readonly data: Buffer
}

/** 'k': the server is alive; it wants a standby status update back when `replyRequested`. */
export interface PrimaryKeepaliveFrame {
  readonly kind: 'keepalive'
  /** The end of WAL on the server (for a logical stream: what it has sent so far). */
  readonly walEnd: bigint
  readonly sendTime: bigint
  /** Without a reply the server ends the connection after `wal_sender_timeout`. */
  readonly replyRequested: boolean
}

/**
 * Decodes one CopyData payload of the replication stream. Pure.
 * @throws PgoutputDecodeError for an unknown frame type or a truncated header
 */
export function decodeReplicationFrame(buffer: Buffer): ReplicationFrame {
  const type = buffer[0]
  if (type === 0x77) {
    // 'w'
    const reader = new ByteReader(buffer, 'XLogData header', 1)
    const walStart = reader.uint64()
    const walEnd = reader.uint64()
    const sendTime = reader.int64()
    return { kind: 'xlog_data', walStart, walEnd, sendTime, data: buffer.subarray(reader.offset) }
  }
  if (type === 0x6b) {
    // 'k'
    const reader = new ByteReader(buffer, 'primary keepalive message', 1)
    return { kind: 'keepalive', walEnd: reader.uint64(), sendTime: reader.int64(), replyRequested: reader.uint8() === 1 }
  }
  if (type === undefined) throw new PgoutputDecodeError('EMPTY_MESSAGE', 'empty replication CopyData message')
  throw new PgoutputDecodeError('UNKNOWN_MESSAGE', `unknown replication message type ${describeByte(type)}`, type)
}
