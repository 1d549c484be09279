/**
 * A small deterministic PRNG (mulberry32) for tests that pick random moments (kills): the same
 * seed gives the same moments, so a failure can be replayed (PGSHIFT_KILL_SEED).
 */
export function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let value = Math.imul(state ^ (state >>> 15), 1 | state)
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}
