import { SECRET_MASK } from './redact-secrets.js'
import { SecretUrl } from './secret-url.js'

/**
 * An http(s) URL that receives alerts, kept secret: chat webhooks carry their token in the path,
 * so every printed form shows only the origin (`https://hooks.example.com/***`).
 */
export class WebhookUrl extends SecretUrl {
  private constructor(raw: string, url: URL) {
    const rest = `${url.pathname}${url.search}${url.hash}`
    const hasSecretPart = rest !== '/' && rest !== ''
    const secrets = [decodeURIComponentSafe(url.username), decodeURIComponentSafe(url.password)]
    // the path alone too: an HTTP client error may quote it without the host
    if (hasSecretPart) secrets.push(rest, url.pathname)
    super(
      raw,
      `${url.protocol}//${url.host}/${hasSecretPart ? SECRET_MASK : ''}`,
      secrets.filter((secret) => secret.length > 1),
    )
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
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
