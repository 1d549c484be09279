import type { CopyFormat } from './copy-plan.js'

// binary COPY: 11-byte signature, 32-bit flags, then a 32-bit header extension length
const SIGNATURE_AND_FLAGS = 15

/**
 * Counts the rows of a COPY TO STDOUT byte stream without decoding values. Text: every raw
 * newline ends a row (newlines inside values are escaped as `\n`). Binary: walks the tuple
 * framing only — a 16-bit field count, then per field a 32-bit length and that many bytes
 * skipped — so the cost is a few reads per field, whatever the values hold.
 */
export class CopyRowCounter {
  rows = 0
  readonly #binary: boolean
  // binary state: bytes to skip, the number being read, and what comes next
  #skip = SIGNATURE_AND_FLAGS
  #number: number[] = []
  #expect: 'extension' | 'count' | 'length' | 'end' = 'extension'
  #fieldsLeft = 0

  constructor(format: CopyFormat) {
    this.#binary = format === 'binary'
  }

  /** Feeds the next chunk of the stream. */
  push(chunk: Buffer): void {
    if (!this.#binary) {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) this.rows++
      return
    }
    let at = 0
    while (at < chunk.length && this.#expect !== 'end') {
      if (this.#expect === 'count' && this.#skip === 0 && this.#number.length === 0) {
        const next = this.#walkWholeTuples(chunk, at)
        if (next !== at) {
          at = next
          continue
        }
      }
      if (this.#skip > 0) {
        const step = Math.min(this.#skip, chunk.length - at)
        this.#skip -= step
        at += step
        continue
      }
      const width = this.#expect === 'count' ? 2 : 4
      while (this.#number.length < width && at < chunk.length) this.#number.push(chunk[at++] ?? 0)
      if (this.#number.length < width) return
      // big-endian, signed: bitwise operators work on 32-bit signed integers
      const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = this.#number
      const value = width === 2 ? ((b0 << 24) | (b1 << 16)) >> 16 : (b0 << 24) | (b1 << 16) | (b2 << 8) | b3
      this.#number.length = 0
      this.#read(value)
    }
  }

  /**
   * The fast path, for tuples that lie whole inside the chunk: reads the framing in place, with
   * no per-field state changes (a table of millions of rows spends its counting time here).
   * Returns where the first tuple it cannot finish starts; the state machine takes that one.
   */
  #walkWholeTuples(chunk: Buffer, start: number): number {
    const end = chunk.length
    let at = start
    while (at + 2 <= end) {
      const fields = chunk.readInt16BE(at)
      if (fields === -1) {
        this.#expect = 'end'
        return at + 2
      }
      let next = at + 2
      let field = 0
      for (; field < fields && next + 4 <= end; field++) {
        const length = chunk.readInt32BE(next)
        // -1 is NULL: no bytes follow
        next += 4 + (length > 0 ? length : 0)
      }
      if (field < fields || next > end) return at
      this.rows++
      at = next
    }
    return at
  }

  #read(value: number): void {
    switch (this.#expect) {
      case 'extension':
        this.#skip = value
        this.#expect = 'count'
        return
      case 'count':
        if (value === -1) {
          this.#expect = 'end'
          return
        }
        this.rows++
        this.#fieldsLeft = value
        this.#expect = value === 0 ? 'count' : 'length'
        return
      case 'length':
        // -1 is NULL: no bytes follow
        this.#skip = Math.max(value, 0)
        this.#fieldsLeft--
        if (this.#fieldsLeft === 0) this.#expect = 'count'
        return
      case 'end':
        return
    }
  }
}
