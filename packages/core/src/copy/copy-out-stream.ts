import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import type { Connection } from 'pg'

// protocol message codes: https://www.postgresql.org/docs/current/protocol-message-formats.html
const COPY_DATA = 0x64 // d
const COPY_DONE = 0x63 // c
const ERROR_RESPONSE = 0x45 // E
// a message's header: its code and a 32-bit length that counts itself but not the code
const HEADER = 5

type DataHandler = (chunk: Buffer) => void

/**
 * `COPY ... TO STDOUT` as a readable stream of the COPY data, submitted with `client.query()`
 * like pg-copy-streams' `to`, whose protocol handling it follows. The difference is the cost
 * per row: the server sends one CopyData message per row, and `to` allocates a buffer (and
 * concatenates them again) for each, which for a table of millions of narrow rows costs more
 * client CPU than the servers spend on both sides. This stream copies the payloads of each
 * network read into one buffer: per row it reads a 5-byte header and makes one memory copy.
 * Other messages the server may intersperse (notices, parameter changes) are dropped; an
 * error, and whatever follows the CopyDone, go back to pg, which ends the query as usual
 * (`rowCount` comes from the command tag).
 */
export class CopyOutStream extends Readable {
  readonly text: string
  rowCount = 0
  #connection: Connection | undefined
  #pgDataHandler: DataHandler | undefined
  readonly #onData = (chunk: Buffer) => {
    // paused until the consumer asks for more (_read)
    if (!this.#parse(chunk) && this.#attached) this.#connection?.stream.pause()
  }
  // a header split between two reads
  readonly #header = Buffer.alloc(HEADER)
  #headerBytes = 0
  // bytes of the current message's body still to come, and whether they are COPY data
  #left = 0
  #isData = false
  #attached = false

  constructor(text: string) {
    super()
    this.text = text
  }

  /** Called by pg when the query's turn comes: takes the socket over, then sends the query. */
  submit(connection: Connection): void {
    this.#connection = connection
    const socket = connection.stream
    const listeners = socket.listeners('data') as DataHandler[]
    assert.equal(listeners.length, 1, 'pg reads its socket through exactly one data listener')
    this.#pgDataHandler = listeners[0]
    socket.removeListener('data', this.#pgDataHandler as DataHandler)
    // chunk by chunk through 'data': read() would concatenate whatever the socket buffered
    this.#attached = true
    socket.on('data', this.#onData)
    connection.query(this.text)
  }

  override _read(): void {
    if (this.#attached) this.#connection?.stream.resume()
  }

  /** Returns whether more data is wanted (false: the consumer is full, or the copy ended). */
  #parse(chunk: Buffer): boolean {
    const end = chunk.length
    let out: Buffer | undefined
    let size = 0
    let at = 0
    while (at < end) {
      if (this.#left > 0) {
        const step = Math.min(this.#left, end - at)
        if (this.#isData) {
          out ??= Buffer.allocUnsafe(end - at)
          chunk.copy(out, size, at, at + step)
          size += step
        }
        this.#left -= step
        at += step
        continue
      }
      if (this.#headerBytes === 0 && chunk[at] === ERROR_RESPONSE) {
        // pg parses the error and fails the query (handleError)
        this.#flush(out, size)
        this.#detach(chunk.subarray(at))
        return false
      }
      let code: number
      let length: number
      if (this.#headerBytes === 0 && at + HEADER <= end) {
        code = chunk[at] as number
        length = chunk.readUInt32BE(at + 1)
        at += HEADER
      } else {
        while (this.#headerBytes < HEADER && at < end) this.#header[this.#headerBytes++] = chunk[at++] as number
        if (this.#headerBytes < HEADER) break
        this.#headerBytes = 0
        code = this.#header[0] as number
        length = this.#header.readUInt32BE(1)
      }
      if (code === COPY_DONE) {
        const wanted = this.#flush(out, size)
        // CommandComplete and ReadyForQuery follow: pg's to read
        this.#detach(chunk.subarray(at))
        this.push(null)
        return wanted
      }
      // anything but CopyData here is CopyOutResponse or a message the server may send at any time
      this.#isData = code === COPY_DATA
      this.#left = length - 4
    }
    return this.#flush(out, size)
  }

  #flush(out: Buffer | undefined, size: number): boolean {
    if (out === undefined || size === 0) return true
    return this.push(out.subarray(0, size))
  }

  #detach(rest: Buffer): void {
    const connection = this.#connection
    const handler = this.#pgDataHandler
    if (!this.#attached || connection === undefined || handler === undefined) return
    this.#attached = false
    const socket = connection.stream
    socket.removeListener('data', this.#onData)
    socket.on('data', handler)
    handler(rest)
    // resumed on the next tick: the data handler may pause the socket while it runs
    process.nextTick(() => socket.resume())
  }

  /** pg: the server reported an error (or the connection failed). */
  handleError(error: Error): void {
    this.destroy(error)
  }

  /** pg: the command tag, `COPY n`. */
  handleCommandComplete(message: { text?: string }): void {
    const match = /COPY (\d+)/.exec(message?.text ?? '')
    if (match !== null) this.rowCount = Number(match[1])
  }

  handleReadyForQuery(): void {}
}
