import { PGSHIFT_STATE_SCHEMA } from '@pgshift/schema-diff'
import type pg from 'pg'

/**
 * Where a migration's change stream stands:
 * - `setup`: publication and slot are being created (before the full copy);
 * - `following`: an apply process streams changes, or may resume doing so;
 * - `stopped`: the last apply process stopped on request (SIGTERM or cutover) and can resume;
 * - `cut-over` / `aborted`: finished; the source's objects are gone, nothing resumes.
 */
export type ReplicationStatus = 'setup' | 'following' | 'stopped' | 'cut-over' | 'aborted'

/** A table whose replica identity the migration changed on the source, to restore at the end. */
export interface ReplicaIdentityChange {
  /** The source table, qualified and quoted. */
  readonly table: string
  /** What it was: `d` default, `n` nothing, `f` full, `i` index (pg_class.relreplident). */
  readonly previous: 'd' | 'n' | 'f' | 'i'
  /** For `i`: the index's name (it lives in the table's schema). */
  readonly previousIndex: string | null
}

/** One row of `pgshift.replication`. */
export interface ReplicationRecord {
  readonly migration: string
  readonly slotName: string
  readonly publication: string
  readonly status: ReplicationStatus
  /** End LSN of the last source transaction applied: streaming resumes after it. */
  readonly appliedLsn: string
  readonly appliedCommitTime: Date | null
  readonly appliedAt: Date | null
  readonly receivedLsn: string | null
  /** The source's WAL position when lag was last measured. */
  readonly sourceLsn: string | null
  readonly lagBytes: number | null
  readonly lagSeconds: number | null
  readonly transactions: number
  readonly changes: number
  readonly retries: number
  readonly lastError: string | null
  /** Set by `cutover` or `abort` from another process: the apply process stops at its next batch. */
  readonly stopRequestedAt: Date | null
  readonly stopReason: string | null
  readonly replicaIdentityChanges: readonly ReplicaIdentityChange[]
  /**
   * With DDL capture: the selection as replayed DDL has left it (tables created, renamed,
   * dropped), stored with the applied position it belongs to.
   */
  readonly ddlScope: unknown
  readonly updatedAt: Date
}

interface RawReplication {
  migration: string
  slot_name: string
  publication: string
  status: ReplicationStatus
  applied_lsn: string
  applied_commit_time: Date | null
  applied_at: Date | null
  received_lsn: string | null
  source_lsn: string | null
  lag_bytes: string | null
  lag_seconds: number | null
  transactions: string
  changes: string
  retries: number
  last_error: string | null
  stop_requested_at: Date | null
  stop_reason: string | null
  replica_identity_changes: ReplicaIdentityChange[]
  ddl_scope: unknown
  updated_at: Date
}

const TABLE = `${PGSHIFT_STATE_SCHEMA}.replication`

/** The migration's replication row, or null before incremental set-up. */
export async function readReplication(client: pg.ClientBase | pg.Pool, migration: string): Promise<ReplicationRecord | null> {
  const { rows } = await client.query<RawReplication>(
    `SELECT migration, slot_name, publication, status, applied_lsn::text, applied_commit_time, applied_at,
            received_lsn::text, source_lsn::text, lag_bytes, lag_seconds, transactions, changes, retries,
            last_error, stop_requested_at, stop_reason, replica_identity_changes, ddl_scope, updated_at
       FROM ${TABLE} WHERE migration = $1`,
    [migration],
  )
  const row = rows[0]
  if (row === undefined) return null
  return {
    migration: row.migration,
    slotName: row.slot_name,
    publication: row.publication,
    status: row.status,
    appliedLsn: row.applied_lsn,
    appliedCommitTime: row.applied_commit_time,
    appliedAt: row.applied_at,
    receivedLsn: row.received_lsn,
    sourceLsn: row.source_lsn,
    lagBytes: row.lag_bytes === null ? null : Number(row.lag_bytes),
    lagSeconds: row.lag_seconds,
    transactions: Number(row.transactions),
    changes: Number(row.changes),
    retries: row.retries,
    lastError: row.last_error,
    stopRequestedAt: row.stop_requested_at,
    stopReason: row.stop_reason,
    replicaIdentityChanges: row.replica_identity_changes,
    ddlScope: row.ddl_scope,
    updatedAt: row.updated_at,
  }
}

/**
 * Creates the replication row (status `setup`) or, on a resumed run, keeps the one there:
 * its applied position must never move back.
 */
export async function registerReplication(
  client: pg.ClientBase,
  migration: string,
  names: { readonly slotName: string; readonly publication: string },
): Promise<void> {
  await client.query(
    `INSERT INTO ${TABLE} (migration, slot_name, publication, status) VALUES ($1, $2, $3, 'setup')
     ON CONFLICT (migration) DO NOTHING`,
    [migration, names.slotName, names.publication],
  )
}

/** Records replica identity changes made on the source; the first recorded previous value wins. */
export async function recordReplicaIdentityChanges(
  client: pg.ClientBase,
  migration: string,
  changes: readonly ReplicaIdentityChange[],
): Promise<void> {
  if (changes.length === 0) return
  await client.query(
    `UPDATE ${TABLE} SET replica_identity_changes = (
       SELECT coalesce(jsonb_agg(change ORDER BY change->>'table'), '[]')
         FROM (SELECT DISTINCT ON (c->>'table') c AS change
                 FROM jsonb_array_elements(replica_identity_changes || $2::jsonb) WITH ORDINALITY AS e(c, n)
                ORDER BY c->>'table', n) AS first_seen
     ), updated_at = clock_timestamp()
     WHERE migration = $1`,
    [migration, JSON.stringify(changes)],
  )
}

/** Moves the replication row to a new status. */
export async function setReplicationStatus(
  client: pg.ClientBase | pg.Pool,
  migration: string,
  status: ReplicationStatus,
): Promise<void> {
  await client.query(`UPDATE ${TABLE} SET status = $2, updated_at = clock_timestamp() WHERE migration = $1`, [
    migration,
    status,
  ])
}

/**
 * Asks the apply process following this migration to stop after its current batch (it
 * polls the row); `cutover` and `abort` use it from another process.
 */
export async function requestReplicationStop(
  client: pg.ClientBase | pg.Pool,
  migration: string,
  reason: string,
): Promise<void> {
  await client.query(
    `UPDATE ${TABLE} SET stop_requested_at = coalesce(stop_requested_at, clock_timestamp()), stop_reason = $2,
            updated_at = clock_timestamp()
      WHERE migration = $1`,
    [migration, reason],
  )
}

/** Clears a stop request (a new `apply` that is meant to follow again). */
export async function clearReplicationStop(client: pg.ClientBase | pg.Pool, migration: string): Promise<void> {
  await client.query(
    `UPDATE ${TABLE} SET stop_requested_at = NULL, stop_reason = NULL, updated_at = clock_timestamp()
      WHERE migration = $1`,
    [migration],
  )
}

/** Figures the apply process refreshes for `status`, metrics and cutover, outside its data transactions. */
export interface ReplicationProgress {
  readonly receivedLsn: string | null
  readonly sourceLsn: string | null
  readonly lagBytes: number | null
  readonly lagSeconds: number | null
  readonly retries?: number
  readonly lastError?: string | null
}

/** Writes {@link ReplicationProgress}; returns whether a stop was requested meanwhile. */
export async function recordReplicationProgress(
  client: pg.ClientBase | pg.Pool,
  migration: string,
  progress: ReplicationProgress,
): Promise<{ readonly stopRequested: boolean; readonly stopReason: string | null }> {
  const { rows } = await client.query<{ stop_requested_at: Date | null; stop_reason: string | null }>(
    `UPDATE ${TABLE}
        SET received_lsn = coalesce($2::pg_lsn, received_lsn), source_lsn = coalesce($3::pg_lsn, source_lsn),
            lag_bytes = $4, lag_seconds = $5, retries = coalesce($6, retries),
            last_error = CASE WHEN $7::boolean THEN $8 ELSE last_error END, updated_at = clock_timestamp()
      WHERE migration = $1
      RETURNING stop_requested_at, stop_reason`,
    [
      migration,
      progress.receivedLsn,
      progress.sourceLsn,
      progress.lagBytes,
      progress.lagSeconds,
      progress.retries ?? null,
      progress.lastError !== undefined,
      progress.lastError ?? null,
    ],
  )
  const row = rows[0]
  return { stopRequested: row?.stop_requested_at != null, stopReason: row?.stop_reason ?? null }
}

/** Per-table change counts of one applied batch, keyed by source table id. */
export type TableChangeCounts = ReadonlyMap<
  string,
  { readonly inserts: number; readonly updates: number; readonly deletes: number; readonly truncates: number }
>

/** What {@link recordAppliedBatch} records of one batch. */
export interface AppliedBatchRecord {
  readonly endLsn: string
  readonly commitTime: Date
  readonly transactions: number
  readonly changes: number
  readonly tables: TableChangeCounts
}

/**
 * The statements {@link recordAppliedBatch} runs, for a caller that sends them in one round
 * trip with the batch's own statements and its COMMIT (parameters as text, so they can be
 * inlined as literals).
 */
export function appliedBatchStatements(
  migration: string,
  batch: AppliedBatchRecord,
): { readonly text: string; readonly values: readonly string[] }[] {
  const statements = [
    {
      text: `UPDATE ${TABLE}
        SET applied_lsn = $2::pg_lsn, applied_commit_time = $3::timestamptz, applied_at = clock_timestamp(),
            transactions = transactions + $4::bigint, changes = changes + $5::bigint, updated_at = clock_timestamp()
      WHERE migration = $1::text`,
      values: [migration, batch.endLsn, batch.commitTime.toISOString(), String(batch.transactions), String(batch.changes)],
    },
  ]
  if (batch.tables.size === 0) return statements
  const rows = [...batch.tables].map(([tableId, counts]) => ({ table_id: tableId, ...counts }))
  statements.push({
    text: `INSERT INTO ${PGSHIFT_STATE_SCHEMA}.replication_tables AS t (migration, table_id, inserts, updates, deletes, truncates)
     SELECT $1::text, r.table_id, r.inserts, r.updates, r.deletes, r.truncates
       FROM jsonb_to_recordset($2::jsonb) AS r(table_id text, inserts bigint, updates bigint, deletes bigint, truncates bigint)
     ON CONFLICT (migration, table_id) DO UPDATE
        SET inserts = t.inserts + excluded.inserts, updates = t.updates + excluded.updates,
            deletes = t.deletes + excluded.deletes, truncates = t.truncates + excluded.truncates`,
    values: [migration, JSON.stringify(rows)],
  })
  return statements
}

/**
 * Records a batch of applied source transactions. Runs inside the destination transaction that
 * applied them, so the position moves exactly when their changes become visible: whatever
 * moment the process dies, the stored LSN says precisely what is in the destination.
 */
export async function recordAppliedBatch(client: pg.ClientBase, migration: string, batch: AppliedBatchRecord): Promise<void> {
  for (const statement of appliedBatchStatements(migration, batch)) await client.query(statement.text, [...statement.values])
}

/** Per-table change counts so far (status, metrics). */
export async function readReplicationTables(
  client: pg.ClientBase | pg.Pool,
  migration: string,
): Promise<{ tableId: string; inserts: number; updates: number; deletes: number; truncates: number }[]> {
  const { rows } = await client.query<{ table_id: string; inserts: string; updates: string; deletes: string; truncates: string }>(
    `SELECT table_id, inserts, updates, deletes, truncates FROM ${PGSHIFT_STATE_SCHEMA}.replication_tables
      WHERE migration = $1 ORDER BY table_id`,
    [migration],
  )
  return rows.map((row) => ({
    tableId: row.table_id,
    inserts: Number(row.inserts),
    updates: Number(row.updates),
    deletes: Number(row.deletes),
    truncates: Number(row.truncates),
  }))
}

/** Steps `cutover` finished, so a re-run skips them. */
export async function readCutoverSteps(client: pg.ClientBase | pg.Pool, migration: string): Promise<Map<string, Date>> {
  const { rows } = await client.query<{ step: string; done_at: Date }>(
    `SELECT step, done_at FROM ${PGSHIFT_STATE_SCHEMA}.cutover_steps WHERE migration = $1`,
    [migration],
  )
  return new Map(rows.map((row) => [row.step, row.done_at]))
}

/** Marks one cutover step done (idempotent). */
export async function recordCutoverStep(
  client: pg.ClientBase | pg.Pool,
  migration: string,
  step: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await client.query(
    `INSERT INTO ${PGSHIFT_STATE_SCHEMA}.cutover_steps (migration, step, detail) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (migration, step) DO NOTHING`,
    [migration, step, JSON.stringify(detail)],
  )
}

/**
 * Stores the DDL scope; inside the applying transaction when replayed DDL changed it, so it
 * moves with the applied position. `onlyIfUnset`: the set-up's initial scope never overwrites
 * one that replayed DDL left.
 */
export async function recordDdlScope(
  client: pg.ClientBase,
  migration: string,
  scope: unknown,
  options: { readonly onlyIfUnset?: boolean } = {},
): Promise<void> {
  await client.query(
    `UPDATE ${TABLE} SET ddl_scope = $2::jsonb, updated_at = clock_timestamp()
      WHERE migration = $1${options.onlyIfUnset === true ? ' AND ddl_scope IS NULL' : ''}`,
    [migration, JSON.stringify(scope)],
  )
}
