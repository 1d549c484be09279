import { classifyFailure } from '../copy/index.js'

/**
 * Why a replication stream could not start or went down:
 * - `CONNECTION_LOST`: the connection or the server went away; reopen from the last
 *   acknowledged position (nothing unacknowledged is lost);
 * - `SLOT_NOT_FOUND`, `SLOT_NOT_PGOUTPUT`: the slot is gone or is not a pgoutput slot — a loud
 *   stop, since the changes since the last acknowledgement may be gone with it;
 * - `SLOT_IN_USE`: another session streams from the slot (or a closed one has not let go yet);
 * - `SERVER_ERROR`: the server refused (a missing publication, an invalidated slot...);
 * - `DECODE_FAILED`: a message this decoder cannot read.
 */
export type ReplicationStreamErrorCode =
  | 'CONNECTION_LOST'
  | 'SLOT_NOT_FOUND'
  | 'SLOT_NOT_PGOUTPUT'
  | 'SLOT_IN_USE'
  | 'SERVER_ERROR'
  | 'DECODE_FAILED'

/** A replication stream failure; `cause` keeps the driver's or decoder's error. */
export class ReplicationStreamError extends Error {
  constructor(
    readonly code: ReplicationStreamErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ReplicationStreamError'
  }
}

/**
 * Wraps a driver or decoder error: SQLSTATE 55006 (object in use) is `SLOT_IN_USE`, a lost
 * network or server (see `classifyFailure`) `CONNECTION_LOST`, other server errors
 * `SERVER_ERROR`, unless `code` says otherwise. `doing` prefixes the message.
 */
export function toReplicationStreamError(
  error: unknown,
  code: ReplicationStreamErrorCode | undefined,
  doing: string,
): ReplicationStreamError {
  if (error instanceof ReplicationStreamError) return error
  const message = error instanceof Error ? error.message : String(error)
  const sqlState = (error as { code?: unknown } | null)?.code
  const resolved =
    code ??
    (sqlState === '55006'
      ? 'SLOT_IN_USE'
      : classifyFailure(error) === 'connection' || /ended the replication stream/.test(message)
        ? 'CONNECTION_LOST'
        : 'SERVER_ERROR')
  return new ReplicationStreamError(resolved, `${doing}: ${message}`, { cause: error })
}
