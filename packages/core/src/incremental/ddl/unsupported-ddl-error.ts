/**
 * Raised for DDL on objects the migration moves that pgshift cannot replay faithfully: the
 * applier stops, naming the statement, rather than let the destination silently diverge.
 */
export class UnsupportedDdlError extends Error {
  override readonly name = 'UnsupportedDdlError'

  constructor(
    /** The statement as the source ran it (its own text within the query string when found). */
    readonly statement: string,
    /** Why it cannot be replayed. */
    readonly reason: string,
    /** The ddl_log row's id. */
    readonly captureId: bigint,
  ) {
    super(`unsupported DDL on the source (pgshift.ddl_log id ${captureId}): ${reason}: ${statement}`)
  }
}
