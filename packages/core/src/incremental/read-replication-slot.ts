import type pg from 'pg'
import { parseLsn } from './pgoutput/lsn.js'

/** What pg_replication_slots says about one slot. */
export interface ReplicationSlotState {
  readonly name: string
  /** `pgoutput` for the slots pgshift creates; null for a physical slot. */
  readonly plugin: string | null
  readonly database: string | null
  readonly activePid: number | null
  /** Where a stream resumes: everything committed before it was acknowledged. */
  readonly confirmedFlushLsn: bigint | null
  /** The oldest WAL the slot keeps. */
  readonly restartLsn: bigint | null
  /** `reserved`, `extended`, `unreserved` or `lost` (PostgreSQL 13+; null before). */
  readonly walStatus: string | null
}

/**
 * The slot's state, or null when it does not exist. Reads the row through to_jsonb so the
 * columns that some versions lack (wal_status before 13) simply come back null.
 */
export async function readReplicationSlot(db: pg.Pool | pg.ClientBase, slot: string): Promise<ReplicationSlotState | null> {
  const { rows } = await db.query<{ slot: Record<string, unknown> }>(
    'SELECT to_jsonb(s) AS slot FROM pg_catalog.pg_replication_slots s WHERE slot_name = $1',
    [slot],
  )
  const row = rows[0]?.slot
  if (row === undefined) return null
  const text = (key: string): string | null => (typeof row[key] === 'string' ? row[key] : null)
  const lsn = (key: string): bigint | null => {
    const value = text(key)
    return value === null ? null : parseLsn(value)
  }
  return {
    name: slot,
    plugin: text('plugin'),
    database: text('database'),
    activePid: typeof row.active_pid === 'number' ? row.active_pid : null,
    confirmedFlushLsn: lsn('confirmed_flush_lsn'),
    restartLsn: lsn('restart_lsn'),
    walStatus: text('wal_status'),
  }
}
