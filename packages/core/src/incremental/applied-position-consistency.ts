import type pg from 'pg'
import { readReplication } from '../state/index.js'
import type { RangeConsistency } from '../validate/index.js'
import { parseLsn } from './pgoutput/index.js'

/**
 * Validation's meeting point with a running apply: the destination side of a range is read once
 * the stored applied position has passed the source position read with the range's source side
 * (heartbeats move it even when the tables are quiet).
 */
export function appliedPositionConsistency(
  destination: pg.Pool,
  migration: string,
  options: { readonly timeoutMs?: number } = {},
): RangeConsistency {
  const timeoutMs = options.timeoutMs ?? 120_000
  return {
    rechecks: 2,
    waitForApplied: async (point) => {
      const target = parseLsn(point.sourceLsn)
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const record = await readReplication(destination, migration)
        if (record !== null && parseLsn(record.appliedLsn) >= target) return
        if (Date.now() > deadline) {
          throw new Error(
            `validate: the destination did not apply the source's changes up to ${point.sourceLsn} within ` +
              `${Math.round(timeoutMs / 1000)} s (applied ${record?.appliedLsn ?? 'nothing'}); is apply following?`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
  }
}

/** Whether an apply process is following this migration now (it reported in the last 15 s). */
export async function isFollowing(destination: pg.Pool, migration: string): Promise<boolean> {
  const record = await readReplication(destination, migration).catch(() => null)
  return record !== null && record.status === 'following' && Date.now() - record.updatedAt.getTime() < 15_000
}
