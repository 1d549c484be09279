import { Writable } from 'node:stream'
import type { Connection } from 'pg'
import { COPY_DONE, COPY_FAIL, message } from './copy-protocol.js'

/**
 * `COPY ... FROM STDIN` as a writable stream of whole CopyData messages, framing included —
 * what {@link CopyOutStream} reads from the source — written to the destination's socket
 * as they are, submitted with `client.query()` like pg-copy-streams' `from`, whose protocol
 * handling it follows. Ending the stream sends CopyDone and finishes once the server has
 * committed the rows to the statement (`rowCount` comes from the command tag); destroying it
 * sends CopyFail, which the server answers with an error that ends the query. Written chunks
 * must hold whole messages, so that a CopyFail never lands inside one.
 */
export class CopyInStream extends Writable {
  readonly text: string
  rowCount = 0
  #connection: Connection | undefined
  // CopyInResponse came: the server takes CopyData
  #copying = false
  #waiting: (() => void)[] = []
  // CopyDone sent; the server reported an error; called back at ReadyForQuery / at the error
  #done = false
  #failed = false
  #onReadyForQuery: (() => void) | undefined
  #onServerError: ((error: Error) => void) | undefined

  constructor(text: string) {
    super()
    this.text = text
  }

  /** Called by pg when the query's turn comes. */
  submit(connection: Connection): void {
    this.#connection = connection
    connection.query(this.text)
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#whenCopying(() => this.#send([chunk], callback))
  }

  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    this.#whenCopying(() => this.#send(chunks.map((entry) => entry.chunk), callback))
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#whenCopying(() => {
      this.#done = true
      this.#onReadyForQuery = () => callback()
      this.#connection?.stream.write(message(COPY_DONE))
    })
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const connection = this.#connection
    // nothing to abandon, or nothing the server would still read
    if (connection === undefined || this.#failed || this.#done) {
      callback(error)
      return
    }
    this.#onServerError = (serverError) => callback(error ?? serverError)
    this.#whenCopying(() => {
      const reason = error?.message ?? 'pgshift: copy abandoned'
      connection.stream.write(message(COPY_FAIL, Buffer.from(`${reason}\0`, 'utf8')))
    })
  }

  #whenCopying(work: () => void): void {
    if (this.#copying) work()
    else this.#waiting.push(work)
  }

  #send(chunks: readonly Buffer[], callback: (error?: Error | null) => void): void {
    const socket = this.#connection?.stream
    if (socket === undefined) {
      callback(new Error('COPY FROM STDIN written before it was submitted'))
      return
    }
    let flushed = true
    for (const chunk of chunks) flushed = socket.write(chunk)
    if (flushed) callback()
    else socket.once('drain', () => callback())
  }

  /** pg: the server is ready for CopyData. */
  handleCopyInResponse(): void {
    this.#copying = true
    for (const work of this.#waiting.splice(0)) work()
  }

  /** pg: the command tag, `COPY n`. */
  handleCommandComplete(message: { text?: string }): void {
    const match = /COPY (\d+)/.exec(message?.text ?? '')
    if (match !== null) this.rowCount = Number(match[1])
  }

  /** pg: the query is over; after an error pg does not call this. */
  handleReadyForQuery(): void {
    const finished = this.#onReadyForQuery
    this.#onReadyForQuery = undefined
    this.#connection = undefined
    finished?.()
  }

  /** pg: the server reported an error (or the connection failed). */
  handleError(error: Error): void {
    this.#failed = true
    const abandoned = this.#onServerError
    this.#onServerError = undefined
    if (abandoned !== undefined) abandoned(error)
    else this.destroy(error)
  }
}
