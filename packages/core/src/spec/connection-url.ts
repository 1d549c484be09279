import { SECRET_MASK } from './redact-secrets.js'
import { SecretUrl } from './secret-url.js'

const schemes = ['postgresql://', 'postgres://'] as const

// libpq parameters whose values are secrets
const secretParams = new Set(['password', 'sslpassword'])

/**
 * A PostgreSQL connection URL (`postgres://user:password@host:port/db?params`), kept secret.
 *
 * Every printed form shows the URL with the password and any `password=` parameter masked
 * (see {@link SecretUrl}).
 */
export class ConnectionUrl extends SecretUrl {
  /** The user name, when the URL carries one. */
  readonly user: string | undefined
  /** Each `host[:port]` of the URL, decoded; `[]` for the default Unix socket. */
  readonly hosts: readonly string[]
  /** The database name, when the URL carries one. */
  readonly database: string | undefined
  /** Whether the URL carries a password (in its user info or as a parameter). */
  readonly hasPassword: boolean

  private constructor(raw: string, parts: UrlParts) {
    super(raw, parts.redacted, parts.secrets)
    this.user = parts.user
    this.hosts = parts.hosts
    this.database = parts.database
    this.hasPassword = parts.passwords.length > 0
  }

  /**
   * Parses a `postgres://` or `postgresql://` URL the way libpq reads it.
   * @throws TypeError saying what is wrong; the message never repeats any part of the URL.
   */
  static parse(raw: string): ConnectionUrl {
    return new ConnectionUrl(raw, parseUrl(raw))
  }

  /**
   * The passwords written in a URL (user info and secret parameters), as written; `[]` when there
   * are none or the text is not a PostgreSQL URL.
   */
  static passwordsIn(raw: string): string[] {
    try {
      return [...parseUrl(raw).passwords]
    } catch {
      return []
    }
  }
}

interface UrlParts {
  readonly redacted: string
  readonly user: string | undefined
  readonly passwords: readonly string[]
  readonly hosts: readonly string[]
  readonly database: string | undefined
  readonly secrets: readonly string[]
}

function parseUrl(raw: string): UrlParts {
  if (raw === '') throw new TypeError('it is empty')
  if (/\s/u.test(raw)) throw new TypeError('it contains whitespace')
  const scheme = schemes.find((candidate) => raw.startsWith(candidate))
  if (scheme === undefined) throw new TypeError('it must start with postgres:// or postgresql://')
  const rest = raw.slice(scheme.length)
  const queryStart = indexOrEnd(rest, '?')
  const authorityEnd = Math.min(indexOrEnd(rest, '/'), queryStart)
  const authority = rest.slice(0, authorityEnd)
  const path = rest.slice(authorityEnd, queryStart)
  const query = rest.slice(queryStart)
  if (rest.includes('@', authorityEnd)) {
    // a password holding "/" or "?" ends the host early: its tail would be shown as a path
    throw new TypeError(
      'it has an "@" after the host: percent-encode "/", "?" and "@" in the user name and ' +
        'password (%2F, %3F, %40)',
    )
  }
  const secrets: string[] = []
  const passwords: string[] = []

  // the last @ ends the user info, so that a stray @ in a password is masked, never shown
  const at = authority.lastIndexOf('@')
  const userInfo = at === -1 ? undefined : authority.slice(0, at)
  const hostSpec = authority.slice(at + 1)
  let user: string | undefined
  let redactedUserInfo = ''
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':')
    const rawUser = colon === -1 ? userInfo : userInfo.slice(0, colon)
    user = rawUser === '' ? undefined : decode(rawUser, 'user name')
    if (colon !== -1) {
      const rawPassword = userInfo.slice(colon + 1)
      passwords.push(rawPassword)
      secrets.push(rawPassword, decode(rawPassword, 'password'))
    }
    if (userInfo.includes('@')) {
      throw new TypeError('its user name or password contains an unencoded "@" (write it as %40)')
    }
    redactedUserInfo = `${rawUser}${colon === -1 ? '' : `:${SECRET_MASK}`}@`
  }

  const hosts = hostSpec === '' ? [] : hostSpec.split(',').map((host) => checkHost(host))
  const database = path.length > 1 ? decode(path.slice(1), 'database name') : undefined
  const redactedQuery = query === '' ? '' : `?${redactQuery(query.slice(1), passwords, secrets)}`
  return {
    redacted: `${scheme}${redactedUserInfo}${hostSpec}${path}${redactedQuery}`,
    user,
    passwords,
    hosts,
    database,
    secrets,
  }
}

function checkHost(host: string): string {
  // [v6]:port, host:port or a %-encoded Unix socket directory
  const match = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/u.exec(host)
  const port = match?.[2]
  if (port !== undefined && port !== '') {
    const number = /^[0-9]{1,5}$/u.test(port) ? Number(port) : 0
    if (number < 1 || number > 65535) {
      throw new TypeError('its port must be a number from 1 to 65535')
    }
  }
  return decode(host, 'host')
}

function redactQuery(query: string, passwords: string[], secrets: string[]): string {
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=')
      const key = decode(equals === -1 ? pair : pair.slice(0, equals), 'parameter name')
      if (equals === -1 || !secretParams.has(key)) {
        if (equals !== -1) decode(pair.slice(equals + 1), 'parameter value')
        return pair
      }
      const value = pair.slice(equals + 1)
      passwords.push(value)
      secrets.push(value, decode(value, 'parameter value'))
      return `${pair.slice(0, equals)}=${SECRET_MASK}`
    })
    .join('&')
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw new TypeError(`its ${what} has an invalid %-escape`)
  }
}

function indexOrEnd(text: string, char: string): number {
  const index = text.indexOf(char)
  return index === -1 ? text.length : index
}
