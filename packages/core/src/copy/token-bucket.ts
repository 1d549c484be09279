/**
 * A token bucket shared by every copy worker: `rate` tokens per second, at most one second's
 * worth saved up. Takers may overdraw it (a chunk is never split) and then wait out the debt,
 * so the average rate holds whatever the chunk sizes.
 */
export class TokenBucket {
  readonly #rate: number
  #tokens: number
  #refilledAt: number

  /** `rate` <= 0 means unlimited. */
  constructor(rate: number, readonly now: () => number = () => performance.now()) {
    this.#rate = rate
    this.#tokens = rate
    this.#refilledAt = now()
  }

  /** Whether the bucket never makes a taker wait (rate 0). */
  get unlimited(): boolean {
    return this.#rate <= 0
  }

  /** Takes `amount` tokens; resolves to how many milliseconds the taker must wait first. */
  take(amount: number): number {
    if (this.#rate <= 0 || amount <= 0) return 0
    const now = this.now()
    this.#tokens = Math.min(this.#rate, this.#tokens + ((now - this.#refilledAt) / 1000) * this.#rate)
    this.#refilledAt = now
    this.#tokens -= amount
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#rate) * 1000
  }
}
