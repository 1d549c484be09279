import { PGSHIFT_STATE_SCHEMA } from '@pgshift/schema-diff'
import type pg from 'pg'

/** Whether a copy unit's rows are in the destination. */
export type CopyUnitStatus = 'pending' | 'done'

/** The identity and range of a copy unit, as registered before any of it is copied. */
export interface CopyUnitRegistration {
  readonly unitId: string
  /** The source table's object id (`table:public.rental`). */
  readonly tableId: string
  /** The destination table, qualified and quoted. */
  readonly destinationTable: string
  /** The unit's range on the source (`id >= 1 AND id < 500`), or null for the whole table. */
  readonly rangePredicate: string | null
  /** The same range over the destination's columns, or null when it has none (page ranges). */
  readonly destinationPredicate: string | null
  /** The planner's estimates, for `pgshift status` to show progress against. */
  readonly estimatedRows?: number | null
  readonly estimatedBytes?: number | null
}

/** One row of `pgshift.copy_units`: a unit's registration and progress. */
export interface CopyUnitRecord extends CopyUnitRegistration {
  readonly status: CopyUnitStatus
  /** How many times a copy of the unit was started (rolled-back attempts included). */
  readonly attempts: number
  readonly rows: number | null
  readonly bytes: number | null
  readonly format: string | null
  /** The exported snapshot the unit was copied under. */
  readonly snapshotName: string | null
  /**
   * The LSN that snapshot is consistent with (the slot's consistent point), or null when the
   * snapshot was not tied to a slot. Changes committed before it are already in the unit's rows.
   */
  readonly snapshotLsn: string | null
  readonly runId: number | null
  readonly finishedAt: Date | null
}

/** What is recorded when a unit's copy commits. */
export interface CopyUnitCompletion {
  readonly rows: number
  readonly bytes: number
  readonly format: string
  readonly snapshotName: string
  readonly snapshotLsn: string | null
  readonly runId: number
}

interface RawCopyUnit {
  unit_id: string
  table_id: string
  destination_table: string
  range_predicate: string | null
  destination_predicate: string | null
  status: CopyUnitStatus
  attempts: number
  rows: string | null
  bytes: string | null
  format: string | null
  snapshot_name: string | null
  snapshot_lsn: string | null
  run_id: string | null
  finished_at: Date | null
}

const UNITS = `${PGSHIFT_STATE_SCHEMA}.copy_units`

/** Every registered copy unit of a migration, in registration order. */
export async function readCopyUnits(client: pg.ClientBase, migration: string): Promise<CopyUnitRecord[]> {
  const { rows } = await client.query<RawCopyUnit>(
    `SELECT unit_id, table_id, destination_table, range_predicate, destination_predicate, status,
            attempts, rows, bytes, format, snapshot_name, snapshot_lsn::text, run_id, finished_at
       FROM ${UNITS} WHERE migration = $1 ORDER BY registered_at, unit_id`,
    [migration],
  )
  return rows.map((row) => ({
    unitId: row.unit_id,
    tableId: row.table_id,
    destinationTable: row.destination_table,
    rangePredicate: row.range_predicate,
    destinationPredicate: row.destination_predicate,
    status: row.status,
    attempts: row.attempts,
    rows: row.rows === null ? null : Number(row.rows),
    bytes: row.bytes === null ? null : Number(row.bytes),
    format: row.format,
    snapshotName: row.snapshot_name,
    snapshotLsn: row.snapshot_lsn,
    runId: row.run_id === null ? null : Number(row.run_id),
    finishedAt: row.finished_at,
  }))
}

/**
 * Registers units as pending; units already registered are left as they are, so the ranges a
 * table was split into stay fixed across runs even when its size estimate changes.
 */
export async function registerCopyUnits(
  client: pg.ClientBase,
  migration: string,
  units: readonly CopyUnitRegistration[],
): Promise<void> {
  if (units.length === 0) return
  await client.query(
    `INSERT INTO ${UNITS} (migration, unit_id, table_id, destination_table, range_predicate,
                           destination_predicate, status, estimated_rows, estimated_bytes)
     SELECT $1, u.unit_id, u.table_id, u.destination_table, u.range_predicate, u.destination_predicate,
            'pending', u.estimated_rows, u.estimated_bytes
       FROM jsonb_to_recordset($2::jsonb) AS u(unit_id text, table_id text, destination_table text,
                                               range_predicate text, destination_predicate text,
                                               estimated_rows bigint, estimated_bytes bigint)
     ON CONFLICT (migration, unit_id) DO NOTHING`,
    [
      migration,
      JSON.stringify(
        units.map((unit) => ({
          unit_id: unit.unitId,
          table_id: unit.tableId,
          destination_table: unit.destinationTable,
          range_predicate: unit.rangePredicate,
          destination_predicate: unit.destinationPredicate,
          estimated_rows: unit.estimatedRows === undefined || unit.estimatedRows === null ? null : Math.round(unit.estimatedRows),
          estimated_bytes: unit.estimatedBytes ?? null,
        })),
      ),
    ],
  )
}

/**
 * Counts one more attempt at a unit, outside the unit's own transaction so that the count
 * survives a rollback; returns the attempts before this one.
 */
export async function recordCopyUnitAttempt(
  client: pg.ClientBase,
  migration: string,
  unitId: string,
): Promise<number> {
  const { rows } = await client.query<{ attempts: number }>(
    `UPDATE ${UNITS}
        SET attempts = attempts + 1, started_at = clock_timestamp(), progress_rows = 0, progress_bytes = 0,
            progress_at = clock_timestamp()
      WHERE migration = $1 AND unit_id = $2
     RETURNING attempts - 1 AS attempts`,
    [migration, unitId],
  )
  const previous = rows[0]?.attempts
  if (previous === undefined) throw new Error(`copy unit ${unitId} of migration ${migration} is not registered`)
  return previous
}

/**
 * Takes the unit's lock for the rest of the caller's transaction and returns its status as
 * committed now. Two processes copying one unit at once (a second run started after the
 * first lost its session) then run one after the other, and the second sees the unit done.
 */
export async function lockCopyUnit(
  client: pg.ClientBase,
  migration: string,
  unitId: string,
): Promise<CopyUnitStatus> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [migration, unitId])
  // READ COMMITTED: this statement's snapshot is taken after the lock, so it sees the winner's commit
  const { rows } = await client.query<{ status: CopyUnitStatus }>(
    `SELECT status FROM ${UNITS} WHERE migration = $1 AND unit_id = $2`,
    [migration, unitId],
  )
  const status = rows[0]?.status
  if (status === undefined) throw new Error(`copy unit ${unitId} of migration ${migration} is not registered`)
  return status
}

/**
 * Marks a unit done. Call it inside the transaction that copied the unit's rows: the rows and
 * the mark then commit together, so a killed run never leaves a unit half-counted.
 */
export async function markCopyUnitDone(
  client: pg.ClientBase,
  migration: string,
  unitId: string,
  completion: CopyUnitCompletion,
): Promise<void> {
  const result = await client.query(
    `UPDATE ${UNITS}
        SET status = 'done', rows = $3, bytes = $4, format = $5, snapshot_name = $6,
            snapshot_lsn = $7::pg_lsn, run_id = $8, finished_at = clock_timestamp(),
            progress_rows = $3, progress_bytes = $4, progress_at = clock_timestamp()
      WHERE migration = $1 AND unit_id = $2`,
    [
      migration,
      unitId,
      completion.rows,
      completion.bytes,
      completion.format,
      completion.snapshotName,
      completion.snapshotLsn,
      completion.runId,
    ],
  )
  if (result.rowCount !== 1) throw new Error(`copy unit ${unitId} of migration ${migration} is not registered`)
}

/** A running unit's rows and bytes so far, as its worker last reported them. */
export interface CopyUnitProgress {
  readonly unitId: string
  readonly rows: number
  readonly bytes: number
}

/**
 * Records running units' progress for `pgshift status` (from the coordinator's session: the
 * workers' own rows are invisible until their unit commits). Done units are left alone.
 */
export async function recordCopyProgress(
  client: pg.ClientBase,
  migration: string,
  progress: readonly CopyUnitProgress[],
): Promise<void> {
  if (progress.length === 0) return
  await client.query(
    `UPDATE ${UNITS} AS u
        SET progress_rows = p.rows, progress_bytes = p.bytes, progress_at = clock_timestamp()
       FROM jsonb_to_recordset($2::jsonb) AS p(unit_id text, rows bigint, bytes bigint)
      WHERE u.migration = $1 AND u.unit_id = p.unit_id AND u.status = 'pending'`,
    [migration, JSON.stringify(progress.map((entry) => ({ unit_id: entry.unitId, rows: entry.rows, bytes: entry.bytes })))],
  )
}

/** Records why a unit's attempt failed, for `pgshift status`. */
export async function recordCopyUnitError(
  client: pg.ClientBase,
  migration: string,
  unitId: string,
  error: string,
): Promise<void> {
  await client.query(`UPDATE ${UNITS} SET last_error = $3 WHERE migration = $1 AND unit_id = $2`, [migration, unitId, error])
}

/**
 * Marks every unit of a table pending again (its rows are about to be removed in the same
 * transaction), so the whole table is copied anew under one snapshot.
 */
export async function resetCopyUnits(client: pg.ClientBase, migration: string, tableId: string): Promise<void> {
  await client.query(
    `UPDATE ${UNITS}
        SET status = 'pending', rows = NULL, bytes = NULL, format = NULL, snapshot_name = NULL,
            snapshot_lsn = NULL, run_id = NULL, finished_at = NULL, started_at = NULL,
            progress_rows = NULL, progress_bytes = NULL, progress_at = NULL
      WHERE migration = $1 AND table_id = $2`,
    [migration, tableId],
  )
}
