import { inspect } from 'node:util'
import { maskAll } from './redact-secrets.js'
import type { Secret } from './redact-secrets.js'

/**
 * A URL that must never be printed whole. The raw text is reachable only through
 * {@link SecretUrl.reveal}; every printed form (`String(url)`, `JSON.stringify`,
 * `util.inspect`) shows {@link SecretUrl.redacted}.
 */
export abstract class SecretUrl implements Secret {
  readonly #raw: string
  readonly #secrets: readonly string[]
  /** The URL with its secret parts masked. */
  readonly redacted: string

  protected constructor(raw: string, redacted: string, secrets: readonly string[]) {
    this.#raw = raw
    this.redacted = redacted
    this.#secrets = secrets
  }

  /** The full URL. Hand it to the client that connects or posts; never print it. */
  reveal(): string {
    return this.#raw
  }

  /** The text with this URL and its secret parts masked. */
  redact(text: string): string {
    return maskAll(text.split(this.#raw).join(this.redacted), this.#secrets)
  }

  /** The redacted form, so that template strings and concatenation never leak the secret. */
  toString(): string {
    return this.redacted
  }

  /** The redacted form, for `JSON.stringify` (plan files, JSON reports). */
  toJSON(): string {
    return this.redacted
  }

  /** The redacted form, for `console.log` and `util.inspect`. */
  [inspect.custom](): string {
    return `${this.constructor.name}(${this.redacted})`
  }
}
