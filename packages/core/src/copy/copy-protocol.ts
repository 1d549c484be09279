/**
 * Message codes of the PostgreSQL protocol that the COPY streams read or write
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html). A message is its
 * code, a 32-bit big-endian length that counts itself but not the code, then the body.
 */
export const COPY_DATA = 0x64 // d
export const COPY_DONE = 0x63 // c
export const COPY_FAIL = 0x66 // f
export const ERROR_RESPONSE = 0x45 // E

/** Bytes before a message's body: the code and the length. */
export const MESSAGE_HEADER = 5

/** A message with no body beyond what `body` holds. */
export function message(code: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const framed = Buffer.allocUnsafe(MESSAGE_HEADER + body.length)
  framed[0] = code
  framed.writeUInt32BE(4 + body.length, 1)
  body.copy(framed, MESSAGE_HEADER)
  return framed
}
