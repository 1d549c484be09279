/** 2000-01-01T00:00:00Z in Unix milliseconds: PostgreSQL's timestamp epoch. */
export const PG_EPOCH_MS = 946_684_800_000

/**
 * A protocol timestamp (microseconds since 2000-01-01 UTC, as in Begin, Commit and keepalive
 * messages) as a Date. Dates hold milliseconds: the microseconds are cut (floored), so keep
 * the bigint wherever exactness matters.
 */
export function pgTimestampToDate(micros: bigint): Date {
  // floor, not truncation toward zero, so timestamps before 2000 round the same way
  const millis = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n)
  return new Date(PG_EPOCH_MS + Number(millis))
}

/** Milliseconds since the Unix epoch (`Date.now()`) as a protocol timestamp. */
export function unixMsToPgTimestamp(unixMs: number): bigint {
  return BigInt(Math.round((unixMs - PG_EPOCH_MS) * 1000))
}
