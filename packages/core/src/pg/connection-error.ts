import type { ConnectionUrl } from '../spec/index.js'

/** Which side of the migration a connection belongs to; named in every connection error. */
export type DatabaseRole = 'source' | 'destination'

/**
 * A database could not be reached or refused the login. The message names the host and the
 * likely fix, and never contains the password.
 */
export class ConnectionError extends Error {
  readonly code = 'CONNECTION_FAILED'

  constructor(
    message: string,
    readonly role: DatabaseRole,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ConnectionError'
  }
}

interface DriverError {
  readonly code?: string
  readonly message?: string
}

/** Turns a driver error raised while connecting into a {@link ConnectionError}. */
export function connectionError(error: unknown, url: ConnectionUrl, role: DatabaseRole): ConnectionError {
  const driver = (error ?? {}) as DriverError
  const where = url.hosts.length === 0 ? 'the local socket' : url.hosts.join(',')
  const database = url.database ?? url.user ?? 'postgres'
  const user = url.user ?? 'the current OS user'
  const detail = url.redact(String(driver.message ?? error))
  const reason = explain(driver.code, detail, { where, database, user, role })
  return new ConnectionError(
    `cannot connect to the ${role} database ${database} at ${where}: ${reason}`,
    role,
    { cause: error },
  )
}

function explain(
  code: string | undefined,
  detail: string,
  about: { where: string; database: string; user: string; role: DatabaseRole },
): string {
  const url = `the ${about.role} URL`
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused. Is PostgreSQL running there, listening on that address and port (listen_addresses, port)? Check the host and port in ${url}.`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name does not resolve. Check the host in ${url}.`
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no answer from the host. Check the host and port in ${url}, and that no firewall blocks the way.`
    case 'ECONNRESET':
      return `the server closed the connection. Check whether it requires SSL (add ?sslmode=require to ${url}) and its log.`
    case '28P01':
      return `password authentication failed for user ${about.user}. Check the user and password in ${url}.`
    case '28000':
      return `the server refused the login (${detail}). Add a matching line to the server's pg_hba.conf or use a user that it allows.`
    case '3D000':
      return `the database does not exist. Check the database name in ${url}.`
    case '57P03':
      return 'the server is starting up or shutting down. Try again in a moment.'
    case '53300':
      return 'the server has no free connection slots (max_connections). Close idle sessions or raise max_connections.'
    default:
      if (/timeout/i.test(detail)) {
        return `no answer within the connect timeout. Check the host and port in ${url}, and that no firewall blocks the way.`
      }
      return `${detail}. Check ${url}.`
  }
}
