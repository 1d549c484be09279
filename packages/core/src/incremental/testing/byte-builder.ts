// Test support: protocol messages written byte by byte, the way node-postgres' pg-protocol
// tests build theirs, so decoder tests state the wire format instead of trusting an encoder.
// Not exported from the package.

/** Appends big-endian protocol fields; `build()` returns the bytes. */
export class ByteBuilder {
  readonly #parts: Buffer[] = []

  /** One byte; a one-character string is its code (`'I'`). */
  byte(value: number | string): this {
    this.#parts.push(Buffer.from([typeof value === 'string' ? value.charCodeAt(0) : value]))
    return this
  }

  int16(value: number): this {
    const part = Buffer.alloc(2)
    part.writeInt16BE(value)
    this.#parts.push(part)
    return this
  }

  int32(value: number): this {
    const part = Buffer.alloc(4)
    part.writeInt32BE(value)
    this.#parts.push(part)
    return this
  }

  uint32(value: number): this {
    const part = Buffer.alloc(4)
    part.writeUInt32BE(value)
    this.#parts.push(part)
    return this
  }

  uint64(value: bigint): this {
    const part = Buffer.alloc(8)
    part.writeBigUInt64BE(value)
    this.#parts.push(part)
    return this
  }

  int64(value: bigint): this {
    const part = Buffer.alloc(8)
    part.writeBigInt64BE(value)
    this.#parts.push(part)
    return this
  }

  /** UTF-8 text and its terminating NUL. */
  cstring(value: string): this {
    this.#parts.push(Buffer.from(value, 'utf8'), Buffer.from([0]))
    return this
  }

  raw(value: Buffer | string): this {
    this.#parts.push(typeof value === 'string' ? Buffer.from(value, 'utf8') : value)
    return this
  }

  /** A TupleData column of kind 't': Int32 length, then the UTF-8 bytes. */
  text(value: string): this {
    const bytes = Buffer.from(value, 'utf8')
    return this.byte('t').int32(bytes.length).raw(bytes)
  }

  build(): Buffer {
    return Buffer.concat(this.#parts)
  }
}

/** A new {@link ByteBuilder}. */
export function bytes(): ByteBuilder {
  return new ByteBuilder()
}
