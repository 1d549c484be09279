import type { Duplex } from 'node:stream'
import type { Submittable } from 'pg'
import * as copyStreams from 'pg-copy-streams'

/** The CopyBoth duplex of pg-copy-streams: readable CopyData payloads, writable CopyData. */
export type CopyBothStream = Duplex & Submittable

interface CopyBothOptions {
  /** One readable chunk per CopyData message, never split or merged (with flowing reads). */
  readonly alignOnCopyDataFrame: boolean
}

// @types/pg-copy-streams 1.2 declares only from() and to(); both() has shipped since 6.0
const { both } = copyStreams as unknown as { both(text: string, options: CopyBothOptions): CopyBothStream }

/** A `both()` query for `client.query()`, aligned on CopyData frames. */
export function copyBoth(text: string): CopyBothStream {
  return both(text, { alignOnCopyDataFrame: true })
}
