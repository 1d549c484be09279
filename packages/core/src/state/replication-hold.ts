import { PGSHIFT_STATE_SCHEMA } from '@pgshift/schema-diff'
import type pg from 'pg'

/** The channel on which hold requests are announced to the apply process. */
export const HOLD_CHANNEL = 'pgshift_hold'

const TABLE = `${PGSHIFT_STATE_SCHEMA}.replication`

/** A request that the apply process stop before the first source transaction at or after `lsn`. */
export interface HoldRequest {
  readonly token: string
  /** '0/0': pause at the next transaction boundary. */
  readonly lsn: string
  /** The request lapses then, so a validator that died cannot stall replication. */
  readonly until: Date
}

/** Asks the apply process to hold (see {@link HoldRequest}) and wakes it up. */
export async function requestHold(db: pg.ClientBase | pg.Pool, migration: string, hold: Omit<HoldRequest, 'until'>, leaseMs: number): Promise<void> {
  await db.query(
    `UPDATE ${TABLE} SET hold_token = $2, hold_lsn = $3::pg_lsn,
            hold_until = clock_timestamp() + $4 * interval '1 millisecond'
      WHERE migration = $1`,
    [migration, hold.token, hold.lsn, leaseMs],
  )
  await db.query(`SELECT pg_catalog.pg_notify($1, $2)`, [HOLD_CHANNEL, migration])
}

/** Withdraws a hold request (only the one with this token). */
export async function releaseHold(db: pg.ClientBase | pg.Pool, migration: string, token: string): Promise<void> {
  await db.query(
    `UPDATE ${TABLE} SET hold_token = NULL, hold_lsn = NULL, hold_until = NULL WHERE migration = $1 AND hold_token = $2`,
    [migration, token],
  )
  await db.query(`SELECT pg_catalog.pg_notify($1, $2)`, [HOLD_CHANNEL, migration])
}

/** The current hold request, or null. */
export async function readHold(db: pg.ClientBase | pg.Pool, migration: string): Promise<HoldRequest | null> {
  const { rows } = await db.query<{ token: string | null; lsn: string | null; until: Date | null }>(
    `SELECT hold_token AS token, hold_lsn::text AS lsn, hold_until AS until FROM ${TABLE} WHERE migration = $1`,
    [migration],
  )
  const row = rows[0]
  if (row?.token == null || row.lsn === null || row.until === null) return null
  return { token: row.token, lsn: row.lsn, until: row.until }
}

/** The apply process says it holds for `token`, everything before `lsn`'s transactions applied. */
export async function recordHeld(db: pg.ClientBase | pg.Pool, migration: string, token: string, appliedLsn: string): Promise<void> {
  await db.query(`UPDATE ${TABLE} SET held_token = $2, held_lsn = $3::pg_lsn WHERE migration = $1`, [
    migration,
    token,
    appliedLsn,
  ])
}

/** Which hold the apply process last acknowledged. */
export async function readHeld(db: pg.ClientBase | pg.Pool, migration: string): Promise<string | null> {
  const { rows } = await db.query<{ token: string | null }>(`SELECT held_token AS token FROM ${TABLE} WHERE migration = $1`, [
    migration,
  ])
  return rows[0]?.token ?? null
}
