/** What a standby status update reports; for logical replication `flushed` moves the slot. */
export interface StandbyStatus {
  /** The WAL position received and written. */
  readonly written: bigint
  /** The position made durable: the slot's confirmed_flush_lsn becomes this. */
  readonly flushed: bigint
  readonly applied: bigint
  /** The client's clock, microseconds since 2000-01-01 UTC. */
  readonly clock: bigint
  /** Ask the server to answer with a keepalive at once. */
  readonly replyRequested: boolean
}

/**
 * A standby status update 'r' (34 bytes), to be sent as one CopyData message. Pure.
 * Positions of 0 are ignored by the server, which still counts the message as a sign of life.
 */
export function encodeStandbyStatus(status: StandbyStatus): Buffer {
  const buffer = Buffer.alloc(34)
  buffer.write('r', 0, 'latin1')
  buffer.writeBigUInt64BE(status.written, 1)
  buffer.writeBigUInt64BE(status.flushed, 9)
  buffer.writeBigUInt64BE(status.applied, 17)
  buffer.writeBigInt64BE(status.clock, 25)
  buffer.writeUInt8(status.replyRequested ? 1 : 0, 33)
  return buffer
}
