import type { CopyFormat } from './copy-plan.js'
import { MESSAGE_HEADER } from './copy-protocol.js'

// a binary COPY stream opens with an 11-byte signature, 32-bit flags and a 32-bit header
// extension length (PostgreSQL writes no extension): 19 bytes before the first tuple
const BINARY_FILE_HEADER = 19
// ...and closes with a 16-bit -1 in a message of its own (or after the header, with no rows)
const BINARY_TRAILER = 2

/**
 * Counts the rows of a COPY TO STDOUT stream as the server sends it, CopyData messages framing
 * included, without reading values. The protocol sends "CopyData messages (always one per
 * row)", so a row is a message — but for the binary format's trailer, the message of 2 bytes
 * holding -1 (or, with no rows at all, the first message of header and trailer alone). Also
 * counts the bytes of COPY data, framing left out. The cost is a header read per row, whatever
 * the row holds; chunks may cut messages anywhere.
 */
export class CopyRowCounter {
  rows = 0
  /** Bytes of COPY data so far, message framing left out. */
  dataBytes = 0
  readonly #binary: boolean
  // a header cut between chunks
  readonly #header = Buffer.alloc(MESSAGE_HEADER)
  #headerBytes = 0
  // the current message: data bytes still to come, its data size, its last two bytes
  #left = 0
  #size = 0
  #last = 0
  #first = true

  constructor(format: CopyFormat) {
    this.#binary = format === 'binary'
  }

  /** Feeds the next chunk of the stream. */
  push(chunk: Buffer): void {
    const end = chunk.length
    let at = 0
    while (at < end) {
      if (this.#left > 0) {
        const step = Math.min(this.#left, end - at)
        this.#left -= step
        at += step
        this.#last = step >= 2 ? chunk.readUInt16BE(at - 2) : ((this.#last << 8) | (chunk[at - 1] as number)) & 0xffff
        if (this.#left === 0) this.#ended()
        continue
      }
      let size: number
      if (this.#headerBytes === 0 && end - at >= MESSAGE_HEADER) {
        size = chunk.readUInt32BE(at + 1) - 4
        at += MESSAGE_HEADER
      } else {
        while (this.#headerBytes < MESSAGE_HEADER && at < end) this.#header[this.#headerBytes++] = chunk[at++] as number
        if (this.#headerBytes < MESSAGE_HEADER) return
        this.#headerBytes = 0
        size = this.#header.readUInt32BE(1) - 4
      }
      this.#size = size
      this.#left = size
      this.dataBytes += size
      if (size === 0) this.#ended()
    }
  }

  #ended(): void {
    const headerOnly = this.#first ? BINARY_FILE_HEADER : 0
    this.#first = false
    const trailer = this.#binary && this.#size === headerOnly + BINARY_TRAILER && this.#last === 0xffff
    if (!trailer) this.rows++
  }
}
