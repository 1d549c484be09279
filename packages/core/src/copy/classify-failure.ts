/** How long a failure is retried: connection failures for retry.connection, others for retry.other. */
export type FailureKind = 'connection' | 'other'

// errno codes of a network that went away, and SQLSTATEs of a server that did (class 08 is
// tested separately): admin_shutdown, crash_shutdown, cannot_connect_now
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
])

// what pg says when the socket closed under a query, without a code
const CONNECTION_MESSAGES = /Connection terminated|connection error and is not queryable|Client was closed/i

/** The SQLSTATE or errno code of a failure, when it has one. */
export function failureCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : null
}

/** Whether a failure is the connection's (worth retrying for a long time) or anything else's. */
export function classifyFailure(error: unknown): FailureKind {
  const code = failureCode(error)
  if (code !== null && (code.startsWith('08') || CONNECTION_CODES.has(code))) return 'connection'
  const message = error instanceof Error ? error.message : String(error)
  return CONNECTION_MESSAGES.test(message) ? 'connection' : 'other'
}

/** Exponential back-off: 0.5 s, 1 s, 2 s, ... at most 30 s. */
export function backoffMs(failures: number): number {
  return Math.min(500 * 2 ** Math.max(failures - 1, 0), 30_000)
}
