/** Why a pgoutput message could not be decoded. */
export type PgoutputDecodeErrorCode =
  | 'UNKNOWN_MESSAGE'
  | 'UNKNOWN_TUPLE_KIND'
  | 'UNEXPECTED_MARKER'
  | 'UNKNOWN_REPLICA_IDENTITY'
  | 'TRUNCATED'
  | 'TRAILING_BYTES'
  | 'EMPTY_MESSAGE'

/**
 * A pgoutput message that this decoder cannot read. Raised, never swallowed: a migrator that
 * skipped a change it did not understand would silently diverge from the source.
 */
export class PgoutputDecodeError extends Error {
  constructor(
    readonly code: PgoutputDecodeErrorCode,
    message: string,
    /** The message's (or tuple column's) type byte when it was the problem. */
    readonly byte: number | null = null,
  ) {
    super(message)
    this.name = 'PgoutputDecodeError'
  }
}

/** A type byte as `'X' (0x58)`, so unprintable bytes are still named exactly. */
export function describeByte(byte: number): string {
  const hex = `0x${byte.toString(16).padStart(2, '0')}`
  return byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}' (${hex})` : hex
}
