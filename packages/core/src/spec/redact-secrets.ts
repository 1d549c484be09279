import type { MigrationSpec } from './migration-spec.js'

/** Something that knows its own secret text and can mask it wherever it appears. */
export interface Secret {
  /** The text with every occurrence of this secret masked. */
  redact(text: string): string
}

/** The mask that replaces secrets in every printed form. */
export const SECRET_MASK = '***'

/**
 * Masks every known secret in arbitrary text, such as a driver error message that echoes a
 * connection string. Plain strings are masked as they are; {@link Secret}s mask themselves.
 */
export function redactSecrets(text: string, secrets: Iterable<Secret | string>): string {
  const plain: string[] = []
  let result = text
  for (const secret of secrets) {
    if (typeof secret === 'string') {
      if (secret !== '') plain.push(secret)
    } else {
      result = secret.redact(result)
    }
  }
  return maskAll(result, plain)
}

/** Replaces each of the given strings by {@link SECRET_MASK}, longest first. */
export function maskAll(text: string, secrets: readonly string[]): string {
  // longest first, so that a secret containing a shorter one is masked whole
  const ordered = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length)
  let result = text
  for (const secret of ordered) result = result.split(secret).join(SECRET_MASK)
  return result
}

/** Every secret a loaded spec holds (its connection URLs and alert webhook). */
export function specSecrets(spec: MigrationSpec): Secret[] {
  const secrets: Secret[] = [spec.source.url, spec.destination.url]
  if (spec.options.alerts.webhook !== null) secrets.push(spec.options.alerts.webhook)
  return secrets
}
