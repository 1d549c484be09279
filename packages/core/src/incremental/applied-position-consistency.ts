import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { readHeld, readReplication, releaseHold, requestHold } from '../state/index.js'
import type { RangeConsistency } from '../validate/index.js'

const LEASE_MS = 30_000

/**
 * Validation's meeting point with a running apply, exact: before a range's source side is
 * read, the apply process is paused at a transaction boundary; the source side is then read in
 * a snapshot at position X; the apply process is let go until just before the first source
 * transaction at or after X and holds there while the destination side is read, so both sides
 * show the same transactions. One range holds at a time; a hold lapses after 30 s, so a
 * validator that dies cannot stall replication.
 */
export function appliedPositionConsistency(
  destination: pg.Pool,
  migration: string,
  options: { readonly timeoutMs?: number } = {},
): RangeConsistency {
  const timeoutMs = options.timeoutMs ?? 20_000
  let queue: Promise<void> = Promise.resolve()
  // prepare and release of one range get the same `at` object: its turn ends with it
  const turns = new WeakMap<object, () => void>()
  let token: string | null = null
  const hold = async (lsn: string) => {
    const next = randomBytes(8).toString('hex')
    await requestHold(destination, migration, { token: next, lsn }, LEASE_MS)
    token = next
    const deadline = Date.now() + timeoutMs
    while ((await readHeld(destination, migration)) !== next) {
      if (Date.now() > deadline) {
        const record = await readReplication(destination, migration)
        throw new Error(
          `validate: the apply process following ${migration} did not hold within ${Math.round(timeoutMs / 1000)} s ` +
            `(state ${record?.status ?? 'unknown'}); is it running?`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  return {
    // a source commit's visibility can trail its WAL record by a moment: one more look
    rechecks: 1,
    prepare: async (at) => {
      const previous = queue
      queue = new Promise<void>((resolve) => turns.set(at, resolve))
      await previous
      await hold('0/0')
    },
    waitForApplied: (point) => hold(point.sourceLsn),
    release: async (at) => {
      const held = token
      token = null
      if (held !== null) await releaseHold(destination, migration, held).catch(() => {})
      turns.get(at)?.()
      turns.delete(at)
    },
  }
}

/** Whether an apply process is following this migration now (it reported in the last 15 s). */
export async function isFollowing(destination: pg.Pool, migration: string): Promise<boolean> {
  const record = await readReplication(destination, migration).catch(() => null)
  return record !== null && record.status === 'following' && Date.now() - record.updatedAt.getTime() < 15_000
}
