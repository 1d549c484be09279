import { decodePgoutputMessage } from './decode-pgoutput-message.js'
import { PgoutputDecodeError } from './pgoutput-decode-error.js'
import type { PgoutputMessage } from './pgoutput-message.js'

/**
 * Decodes a session's pgoutput messages in order, remembering whether a Stream Start block is
 * open: inside one, changes carry an xid prefix that the bytes alone do not announce.
 */
export class PgoutputDecoder {
  #inStream = false

  /** Whether the last message opened a streamed block that has not been stopped yet. */
  get inStream(): boolean {
    return this.#inStream
  }

  /**
   * The next message of the session.
   * @throws PgoutputDecodeError for what {@link decodePgoutputMessage} refuses, and for stream
   *   blocks that nest or stop without a start (the server never sends those)
   */
  decode(buffer: Buffer): PgoutputMessage {
    const message = decodePgoutputMessage(buffer, { inStream: this.#inStream })
    if (message.kind === 'stream_start') {
      if (this.#inStream) throw new PgoutputDecodeError('UNEXPECTED_MARKER', 'pgoutput Stream Start inside an open stream block')
      this.#inStream = true
    } else if (message.kind === 'stream_stop') {
      if (!this.#inStream) throw new PgoutputDecodeError('UNEXPECTED_MARKER', 'pgoutput Stream Stop without a Stream Start')
      this.#inStream = false
    }
    return message
  }
}
