/** A change of the lag episode that an alert reports. */
export type LagChange =
  | { readonly change: 'started' }
  | { readonly change: 'resolved'; /** How long lag stayed above the limit. */ readonly durationMs: number }

/**
 * Whether replication lag is in an episode above the limit, so that a lag that stays high is
 * alerted once, not at every measurement, and its end is reported once too.
 */
export class LagEpisode {
  #startedAt: number | undefined

  /** @param maxLagSeconds lag strictly above this starts an episode; at or under it ends one */
  constructor(readonly maxLagSeconds: number) {}

  /** Whether lag is above the limit now. */
  get isActive(): boolean {
    return this.#startedAt !== undefined
  }

  /** Takes a measurement taken at `atMs` (epoch ms); says whether an episode started or ended. */
  update(lagSeconds: number, atMs: number): LagChange | null {
    const above = lagSeconds > this.maxLagSeconds
    if (above && this.#startedAt === undefined) {
      this.#startedAt = atMs
      return { change: 'started' }
    }
    if (!above && this.#startedAt !== undefined) {
      const durationMs = Math.max(0, atMs - this.#startedAt)
      this.#startedAt = undefined
      return { change: 'resolved', durationMs }
    }
    return null
  }
}
