import { PgoutputDecodeError } from './pgoutput-decode-error.js'

/**
 * A cursor over one message's bytes, reading the protocol's big-endian integers and strings.
 * Every read checks the remaining length first, so a short message is a
 * {@link PgoutputDecodeError} naming what was being read rather than a RangeError.
 */
export class ByteReader {
  readonly #buffer: Buffer
  readonly #what: string
  #offset: number

  /** `what` names the message in errors, e.g. `pgoutput Insert message`. */
  constructor(buffer: Buffer, what: string, offset = 0) {
    this.#buffer = buffer
    this.#what = what
    this.#offset = offset
  }

  get offset(): number {
    return this.#offset
  }

  get remaining(): number {
    return this.#buffer.length - this.#offset
  }

  uint8(): number {
    this.#need(1, 'an Int8')
    return this.#buffer.readUInt8(this.#offset++)
  }

  int16(): number {
    this.#need(2, 'an Int16')
    const value = this.#buffer.readInt16BE(this.#offset)
    this.#offset += 2
    return value
  }

  int32(): number {
    this.#need(4, 'an Int32')
    const value = this.#buffer.readInt32BE(this.#offset)
    this.#offset += 4
    return value
  }

  /** xids and OIDs: the protocol calls them Int32 but they are unsigned (xid ≥ 2^31 happens). */
  uint32(): number {
    this.#need(4, 'an Int32')
    const value = this.#buffer.readUInt32BE(this.#offset)
    this.#offset += 4
    return value
  }

  /** LSNs: unsigned 64-bit. */
  uint64(): bigint {
    this.#need(8, 'an Int64')
    const value = this.#buffer.readBigUInt64BE(this.#offset)
    this.#offset += 8
    return value
  }

  /** Timestamps: signed 64-bit (microseconds since 2000-01-01 may be negative). */
  int64(): bigint {
    this.#need(8, 'an Int64')
    const value = this.#buffer.readBigInt64BE(this.#offset)
    this.#offset += 8
    return value
  }

  /** A NUL-terminated string; names are sent in the client encoding (pinned to UTF8). */
  cstring(): string {
    const end = this.#buffer.indexOf(0, this.#offset)
    if (end === -1) this.#fail('a NUL-terminated string')
    const value = this.#buffer.toString('utf8', this.#offset, end)
    this.#offset = end + 1
    return value
  }

  /** `length` bytes as UTF-8 text. */
  text(length: number): string {
    this.#need(length, `${length} bytes of text`)
    const value = this.#buffer.toString('utf8', this.#offset, this.#offset + length)
    this.#offset += length
    return value
  }

  /** `length` bytes, copied: the caller may keep them after the frame's buffer is reused. */
  bytes(length: number): Buffer {
    this.#need(length, `${length} bytes`)
    const value = Buffer.from(this.#buffer.subarray(this.#offset, this.#offset + length))
    this.#offset += length
    return value
  }

  #need(length: number, what: string): void {
    if (length < 0 || this.remaining < length) this.#fail(what)
  }

  #fail(what: string): never {
    throw new PgoutputDecodeError(
      'TRUNCATED',
      `${this.#what} is truncated: expected ${what} at byte ${this.#offset} of ${this.#buffer.length}`,
    )
  }
}
