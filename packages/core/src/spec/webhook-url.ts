import { inspect } from 'node:util'
import { maskAll, SECRET_MASK } from './redact-secrets.js'
import type { Secret } from './redact-secrets.js'

/**
 * An http(s) URL that receives alerts, kept secret: chat webhooks carry their token in the path,
 * so every printed form shows only the origin (`https://hooks.example.com/***`).
 */
export class WebhookUrl implements Secret {
  readonly #raw: string
  readonly #secrets: readonly string[]
  /** The URL reduced to its origin, with the rest masked. */
  readonly redacted: string

  private constructor(raw: string, url: URL) {
    this.#raw = raw
    const rest = `${url.pathname}${url.search}${url.hash}`
    const hasSecretPart = rest !== '/' && rest !== ''
    this.redacted = `${url.protocol}//${url.host}/${hasSecretPart ? SECRET_MASK : ''}`
    const secrets = [decodeURIComponentSafe(url.username), decodeURIComponentSafe(url.password)]
    // the path alone too: an HTTP client error may quote it without the host
    if (hasSecretPart) secrets.push(rest, url.pathname)
    this.#secrets = secrets.filter((secret) => secret.length > 1)
  }

  /**
   * Parses an http:// or https:// URL.
   * @throws TypeError saying what is wrong; the message never repeats any part of the URL.
   */
  static parse(raw: string): WebhookUrl {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new TypeError('it is not a valid URL')
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError('it must start with http:// or https://')
    }
    return new WebhookUrl(raw, url)
  }

  /** The full URL. Post to it; never print it. */
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
    return `WebhookUrl(${this.redacted})`
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
