import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import type { Connection } from 'pg'
import { COPY_DATA, COPY_DONE, ERROR_RESPONSE, MESSAGE_HEADER } from './copy-protocol.js'

type DataHandler = (chunk: Buffer) => void

/**
 * `COPY ... TO STDOUT` as a readable stream of the server's CopyData messages, framing
 * included, submitted with `client.query()` like pg-copy-streams' `to`, whose protocol
 * handling it follows. A CopyData message reads the same from either side of the protocol, so
 * {@link CopyInStream} forwards these bytes to the destination untouched: per row (the server
 * sends one message per row) the client reads a 5-byte header and nothing else, where `to`
 * allocates a buffer per row and `from` frames the data again — for a table of millions of
 * narrow rows, more client CPU than the servers spend on both sides.
 *
 * Each chunk holds whole messages (one cut by a network read is kept back until its end comes,
 * so memory holds at most one row beyond the stream's buffer): a CopyFail sent on destroy then
 * never lands inside a message. Other messages the server may send meanwhile (notices,
 * parameter changes) are dropped; an error, and whatever follows the CopyDone, go back to pg,
 * which ends the query as usual (`rowCount` comes from the command tag).
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
  #attached = false
  // a message cut by a network read: its parts so far, their size, and its size once known
  #carry: Buffer[] = []
  #carried = 0
  #carrySize = -1
  // bytes of a skipped (non-data) message still to come
  #skip = 0

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
    let at = Math.min(this.#skip, chunk.length)
    this.#skip -= at
    let wanted = true
    if (this.#carried > 0) {
      const completed = this.#complete(chunk, at)
      at = completed.at
      const message = completed.message
      if (message === undefined) return true
      // an error is never carried: it goes to pg from its first byte
      if (message[0] === COPY_DONE) return this.#end(chunk.subarray(at))
      if (message[0] === COPY_DATA) wanted = this.push(message)
    }
    return this.#parseWhole(chunk, at) && wanted
  }

  /**
   * Pushes the runs of whole CopyData messages in `chunk` from `from` on and keeps a message
   * cut at its end back. Returns whether more data is wanted.
   */
  #parseWhole(chunk: Buffer, from: number): boolean {
    const end = chunk.length
    let wanted = true
    let run = from
    let at = from
    while (at < end) {
      const code = chunk[at]
      if (code === ERROR_RESPONSE) {
        // pg parses the error and fails the query (handleError)
        this.#push(chunk, run, at)
        this.#detach(chunk.subarray(at))
        return false
      }
      if (end - at < MESSAGE_HEADER) break
      const size = 1 + chunk.readUInt32BE(at + 1)
      if (code === COPY_DATA) {
        if (at + size > end) break
        at += size
        continue
      }
      wanted = this.#push(chunk, run, at) && wanted
      if (code === COPY_DONE) return this.#end(chunk.subarray(at + size))
      // CopyOutResponse, or a message the server may send at any time: not COPY data
      if (at + size > end) {
        this.#skip = at + size - end
        return wanted
      }
      at += size
      run = at
    }
    wanted = this.#push(chunk, run, at) && wanted
    if (at < end) {
      this.#carry = [chunk.subarray(at)]
      this.#carried = end - at
      this.#carrySize = end - at >= MESSAGE_HEADER ? 1 + chunk.readUInt32BE(at + 1) : -1
    }
    return wanted
  }

  /** CopyDone: CommandComplete and ReadyForQuery follow, pg's to read. */
  #end(rest: Buffer): boolean {
    this.#detach(rest)
    this.push(null)
    return false
  }

  /**
   * Adds the start of `chunk` to the carried message; returns where its bytes end in `chunk`
   * and the message, once whole.
   */
  #complete(chunk: Buffer, from: number): { at: number; message?: Buffer } {
    let at = from
    if (this.#carrySize < 0) {
      const take = Math.min(MESSAGE_HEADER - this.#carried, chunk.length - at)
      this.#carry.push(chunk.subarray(at, at + take))
      this.#carried += take
      at += take
      if (this.#carried < MESSAGE_HEADER) return { at }
      const header = Buffer.concat(this.#carry)
      this.#carry = [header]
      this.#carrySize = 1 + header.readUInt32BE(1)
    }
    const take = Math.min(this.#carrySize - this.#carried, chunk.length - at)
    this.#carry.push(chunk.subarray(at, at + take))
    this.#carried += take
    at += take
    if (this.#carried < this.#carrySize) return { at }
    const message = Buffer.concat(this.#carry, this.#carrySize)
    this.#carry = []
    this.#carried = 0
    this.#carrySize = -1
    return { at, message }
  }

  #push(chunk: Buffer, from: number, to: number): boolean {
    if (to <= from) return true
    return this.push(from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to))
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
