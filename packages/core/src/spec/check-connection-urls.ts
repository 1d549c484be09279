import { asRecord } from './as-record.js'
import { ConnectionUrl } from './connection-url.js'
import { formatSpecPath } from './format-spec-path.js'
import type { SpecPath } from './format-spec-path.js'
import type { EnvScalar } from './interpolate-env.js'
import type { SpecIssue } from './spec-locator.js'
import { WebhookUrl } from './webhook-url.js'

/** The URLs of a spec, parsed, with what is wrong with them. */
export interface CheckedUrls {
  readonly issues: SpecIssue[]
  readonly source: ConnectionUrl | undefined
  readonly destination: ConnectionUrl | undefined
  /** `null` when the spec has no webhook. */
  readonly webhook: WebhookUrl | null | undefined
}

/** Finds what interpolation recorded for the scalar at a path. */
export type EnvScalarLookup = (path: SpecPath) => EnvScalar | undefined

// stands in for a URL built from variables that lint was told may be missing
const placeholderUrl = 'postgres://placeholder.invalid/placeholder'

/**
 * Parses the source and destination URLs and the alert webhook, reporting malformed ones and
 * passwords written literally in the spec rather than taken from the environment.
 */
export function checkConnectionUrls(data: unknown, envScalarAt: EnvScalarLookup): CheckedUrls {
  const issues: SpecIssue[] = []
  const spec = asRecord(data)
  const [source, destination] = (['source', 'destination'] as const).map((side) => {
    const path = [side, 'url']
    const value = asRecord(spec?.[side])?.['url']
    if (typeof value !== 'string') return undefined
    const env = envScalarAt(path)
    try {
      const url = ConnectionUrl.parse(value)
      warnOfLiteralPassword(path, value, env, issues)
      return url
    } catch (error) {
      if (env !== undefined && env.missing.length > 0) return ConnectionUrl.parse(placeholderUrl)
      issues.push(badUrl(path, env, 'a valid PostgreSQL URL', error))
      return undefined
    }
  })
  return { issues, source, destination, webhook: checkWebhook(spec, envScalarAt, issues) }
}

function checkWebhook(
  spec: Record<string, unknown> | undefined,
  envScalarAt: EnvScalarLookup,
  issues: SpecIssue[],
): WebhookUrl | null | undefined {
  const path = ['options', 'alerts', 'webhook']
  const value = asRecord(asRecord(spec?.['options'])?.['alerts'])?.['webhook']
  if (value === undefined || value === '') return null
  if (typeof value !== 'string') return undefined
  const env = envScalarAt(path)
  try {
    return WebhookUrl.parse(value)
  } catch (error) {
    if (env !== undefined && env.missing.length > 0) return null
    issues.push(badUrl(path, env, 'a valid webhook URL', error))
    return undefined
  }
}

function badUrl(
  path: SpecPath,
  env: EnvScalar | undefined,
  what: string,
  error: unknown,
): SpecIssue {
  const origin =
    env === undefined || env.variables.length === 0
      ? ''
      : ` (from ${env.variables.map((name) => `\${${name}}`).join(', ')})`
  const reason = error instanceof Error ? error.message : String(error)
  return {
    path,
    code: 'bad-url',
    message: `${formatSpecPath(path)}${origin} is not ${what}: ${reason}`,
  }
}

function warnOfLiteralPassword(
  path: SpecPath,
  value: string,
  env: EnvScalar | undefined,
  issues: SpecIssue[],
): void {
  // the text as written, and any ${VAR:-default} fallbacks: a password there is in the repository
  const written = env === undefined ? [value] : [env.original, ...env.defaults]
  const isLiteral = written.some((text) =>
    ConnectionUrl.passwordsIn(text).some((password) => password !== '' && !password.includes('${')),
  )
  if (!isLiteral) return
  issues.push({
    path,
    severity: 'warning',
    code: 'password-in-spec',
    message:
      `${formatSpecPath(path)} has a password written in the spec; take the URL or the password ` +
      'from the environment with ${VAR}',
  })
}
