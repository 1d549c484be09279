import { setTimeout as sleep } from 'node:timers/promises'
import type { WebhookUrl } from '../spec/index.js'
import type { AlertPayload } from './alert-payload.js'

/** Where alerts go: {@link WebhookDelivery}, or a recorder in tests. */
export interface AlertDelivery {
  /** Queues one alert; returns at once and never throws. */
  send(payload: AlertPayload): void
  /** Gives queued alerts up to `graceMs` to go out, then abandons the rest. */
  close(graceMs: number): Promise<void>
}

/** Tuning of {@link WebhookDelivery}; the defaults suit a chat or incident webhook. */
export interface WebhookDeliveryOptions {
  readonly webhook: WebhookUrl
  /** Alerts waiting beyond this many drop the oldest waiting one (default 100). */
  readonly maxQueued?: number
  /** Tries per alert, the first included (default 5). */
  readonly attempts?: number
  /** Time allowed for one POST, response included (default 10 s). */
  readonly timeoutMs?: number
  /** Wait before the next try after `failures` failed ones (default 1 s, 2 s, 4 s... at most 30 s). */
  readonly backoffMs?: (failures: number) => number
  /** Hears of alerts given up or dropped; the text names the webhook by its origin only. */
  readonly onProblem?: (message: string) => void
}

/** Why a try failed, and whether another one may succeed. */
interface TryFailure {
  readonly reason: string
  readonly retryable: boolean
}

/**
 * POSTs alerts as JSON to the spec's webhook, one at a time in order, each retried with
 * exponential back-off. `send` only queues: a slow or dead webhook never holds up the
 * migration, and the queue is bounded so a webhook that is down for hours costs no memory.
 */
export class WebhookDelivery implements AlertDelivery {
  readonly #webhook: WebhookUrl
  readonly #maxQueued: number
  readonly #attempts: number
  readonly #timeoutMs: number
  readonly #backoffMs: (failures: number) => number
  readonly #onProblem: (message: string) => void
  readonly #queue: AlertPayload[] = []
  // aborts the POST and the back-off in progress when the grace time ends
  readonly #abandon = new AbortController()
  #pumping: Promise<void> | undefined
  #delivered = 0
  #failed = 0

  constructor(options: WebhookDeliveryOptions) {
    this.#webhook = options.webhook
    this.#maxQueued = Math.max(1, options.maxQueued ?? 100)
    this.#attempts = Math.max(1, options.attempts ?? 5)
    this.#timeoutMs = options.timeoutMs ?? 10_000
    this.#backoffMs = options.backoffMs ?? ((failures) => Math.min(1000 * 2 ** (failures - 1), 30_000))
    this.#onProblem = options.onProblem ?? (() => {})
  }

  /** Alerts the webhook accepted (2xx). */
  get delivered(): number {
    return this.#delivered
  }

  /** Alerts given up: refused, out of tries, dropped from a full queue, or abandoned at close. */
  get failed(): number {
    return this.#failed
  }

  send(payload: AlertPayload): void {
    if (this.#abandon.signal.aborted) {
      this.#giveUp(payload, 'sent after the alerts were closed')
      return
    }
    if (this.#queue.length >= this.#maxQueued) {
      const dropped = this.#queue.shift()
      if (dropped !== undefined) this.#giveUp(dropped, `dropped: more than ${this.#maxQueued} alerts waiting`)
    }
    this.#queue.push(payload)
    this.#pumping ??= this.#pump().finally(() => {
      this.#pumping = undefined
    })
  }

  async close(graceMs: number): Promise<void> {
    const pumping = this.#pumping
    if (pumping !== undefined) {
      const grace = new AbortController()
      const timedOut = await Promise.race([
        pumping.then(() => false),
        sleep(graceMs, true, { signal: grace.signal }).catch(() => false),
      ])
      grace.abort()
      if (timedOut) {
        const waiting = this.#queue.splice(0)
        this.#abandon.abort()
        await pumping
        for (const payload of waiting) this.#giveUp(payload, `not sent within ${graceMs} ms of the end of apply`)
      }
    }
    this.#abandon.abort()
  }

  async #pump(): Promise<void> {
    // off the caller's stack: the first fetch loads its HTTP client, which takes a while
    await new Promise((resolve) => setImmediate(resolve))
    for (let payload = this.#queue.shift(); payload !== undefined; payload = this.#queue.shift()) {
      await this.#deliver(payload)
    }
  }

  async #deliver(payload: AlertPayload): Promise<void> {
    const body = JSON.stringify(payload)
    let failure: TryFailure | undefined
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      if (attempt > 1) {
        try {
          await sleep(this.#backoffMs(attempt - 1), undefined, { signal: this.#abandon.signal })
        } catch {
          break
        }
      }
      failure = await this.#post(body)
      if (failure === undefined) {
        this.#delivered++
        return
      }
      if (!failure.retryable || this.#abandon.signal.aborted) break
    }
    const verdict = this.#abandon.signal.aborted
      ? 'abandoned at the end of apply'
      : failure?.retryable === false
        ? 'refused'
        : `${this.#attempts} tries failed`
    this.#giveUp(payload, `${verdict}, last: ${failure?.reason ?? 'not tried'}`)
  }

  async #post(body: string): Promise<TryFailure | undefined> {
    try {
      const response = await fetch(this.#webhook.reveal(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'pgshift' },
        body,
        // a redirect would send the payload somewhere the spec does not name
        redirect: 'manual',
        signal: AbortSignal.any([this.#abandon.signal, AbortSignal.timeout(this.#timeoutMs)]),
      })
      // the body is not needed, but an unread one keeps the connection busy
      await response.body?.cancel().catch(() => {})
      if (response.status >= 200 && response.status < 300) return undefined
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500
      return { reason: `HTTP ${response.status}`, retryable }
    } catch (error) {
      return { reason: describeFetchError(error, this.#timeoutMs), retryable: true }
    }
  }

  #giveUp(payload: AlertPayload, reason: string): void {
    this.#failed++
    try {
      this.#onProblem(this.#webhook.redact(`${payload.kind} alert not delivered to ${this.#webhook.redacted}: ${reason}`))
    } catch {
      // a reporting failure must not reach the migration
    }
  }
}

// fetch says only "fetch failed"; the cause holds the errno (ECONNREFUSED, ENOTFOUND...)
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`
  if (error instanceof Error && error.name === 'AbortError') return 'abandoned'
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause
  if (typeof cause?.code === 'string') return cause.code
  if (typeof cause?.message === 'string') return cause.message
  return error instanceof Error ? error.message : String(error)
}
