import { PGSHIFT_STATE_SCHEMA } from '@pgshift/schema-diff'
import type pg from 'pg'
import type { Database } from '../pg/index.js'
import { readPhases, readReplication, readReplicationTables } from '../state/index.js'
import type { CopyTotals, IncrementalStatus, MigrationStatus, TableProgress } from './migration-status.js'

interface RawTable {
  table: string
  units: number
  done_units: number
  rows: string
  bytes: string
  estimated_rows: string | null
  estimated_bytes: string | null
  /** Seconds from the first unit start of the latest run to the latest progress, or null. */
  busy_seconds: number | null
  recent_bytes: string
  retries: number
  last_error: string | null
}

/**
 * Reads the migration's phases and per-table copy progress from the destination's state schema:
 * `pgshift status` works from any machine that can reach the destination, while `apply` runs
 * elsewhere. Rates are over the units copied or running in the latest run.
 */
export async function readMigrationStatus(destination: Database, migration: string): Promise<MigrationStatus> {
  const client = await destination.pool.connect()
  try {
    const { rows: present } = await client.query<{ ok: boolean }>(
      `SELECT to_regclass('${PGSHIFT_STATE_SCHEMA}.phases') IS NOT NULL AS ok`,
    )
    if (present[0]?.ok !== true) return notStarted(migration)
    const phases = await readPhases(client, migration)
    const { rows } = await client.query<RawTable>(
      `WITH latest AS (SELECT max(run_id) AS run_id FROM ${PGSHIFT_STATE_SCHEMA}.runs WHERE migration = $1 AND phase = 'full'),
            latest_start AS (
              SELECT started_at FROM ${PGSHIFT_STATE_SCHEMA}.runs WHERE run_id = (SELECT run_id FROM latest))
       SELECT destination_table AS table, count(*)::int AS units,
              count(*) FILTER (WHERE status = 'done')::int AS done_units,
              coalesce(sum(coalesce(progress_rows, rows, 0)), 0)::text AS rows,
              coalesce(sum(coalesce(progress_bytes, bytes, 0)), 0)::text AS bytes,
              sum(estimated_rows)::text AS estimated_rows,
              sum(estimated_bytes)::text AS estimated_bytes,
              extract(epoch FROM max(progress_at) FILTER (WHERE started_at >= (SELECT started_at FROM latest_start))
                                 - min(started_at) FILTER (WHERE started_at >= (SELECT started_at FROM latest_start)))::float8 AS busy_seconds,
              coalesce(sum(progress_bytes) FILTER (WHERE started_at >= (SELECT started_at FROM latest_start)), 0)::text AS recent_bytes,
              coalesce(sum(greatest(attempts - 1, 0)), 0)::int AS retries,
              (array_agg(last_error ORDER BY progress_at DESC NULLS LAST) FILTER (WHERE last_error IS NOT NULL))[1] AS last_error
         FROM ${PGSHIFT_STATE_SCHEMA}.copy_units WHERE migration = $1
        GROUP BY destination_table ORDER BY destination_table`,
      [migration],
    )
    const tables = rows.map(toTableProgress)
    const current = [...phases].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()).at(-1)
    return {
      migration,
      started: phases.length > 0 || tables.length > 0,
      currentPhase: current?.phase ?? null,
      phases: phases.map((phase) => ({
        phase: phase.phase,
        status: phase.status,
        startedAt: phase.startedAt.toISOString(),
        finishedAt: phase.finishedAt?.toISOString() ?? null,
        durationMs: phase.finishedAt === null ? null : phase.finishedAt.getTime() - phase.startedAt.getTime(),
        detail: phase.detail,
        error: phase.error,
      })),
      tables,
      totals: totalsOf(tables),
      incremental: await readIncremental(client, migration),
    }
  } finally {
    client.release()
  }
}

async function readIncremental(client: pg.PoolClient, migration: string): Promise<IncrementalStatus | null> {
  const { rows: present } = await client.query<{ ok: boolean }>(
    `SELECT to_regclass('${PGSHIFT_STATE_SCHEMA}.replication') IS NOT NULL AS ok`,
  )
  if (present[0]?.ok !== true) return null
  const record = await readReplication(client, migration)
  if (record === null) return null
  const tables = await readReplicationTables(client, migration)
  return {
    status: record.status,
    slot: record.slotName,
    appliedLsn: record.appliedLsn,
    appliedCommitTime: record.appliedCommitTime?.toISOString() ?? null,
    sourceLsn: record.sourceLsn,
    lagBytes: record.lagBytes,
    lagSeconds: record.lagSeconds,
    transactions: record.transactions,
    changes: record.changes,
    reportedSecondsAgo: Math.max(0, Math.round((Date.now() - record.updatedAt.getTime()) / 1000)),
    lastError: record.lastError,
    stopRequested: record.stopRequestedAt !== null,
    tables,
  }
}

function toTableProgress(row: RawTable): TableProgress {
  const bytes = Number(row.bytes)
  const estimatedBytes = row.estimated_bytes === null ? null : Number(row.estimated_bytes)
  const busy = row.busy_seconds
  const rate = busy !== null && busy > 0.5 ? Number(row.recent_bytes) / busy : null
  const done = row.done_units === row.units
  return {
    table: row.table,
    units: row.units,
    doneUnits: row.done_units,
    rows: Number(row.rows),
    bytes,
    estimatedRows: row.estimated_rows === null ? null : Number(row.estimated_rows),
    estimatedBytes,
    bytesPerSecond: rate,
    etaSeconds: done ? 0 : eta(estimatedBytes, bytes, rate),
    retries: row.retries,
    lastError: row.last_error,
  }
}

function totalsOf(tables: readonly TableProgress[]): CopyTotals {
  const sum = (pick: (table: TableProgress) => number) => tables.reduce((total, table) => total + pick(table), 0)
  const estimates = tables.map((table) => table.estimatedBytes)
  const estimatedBytes = estimates.some((value) => value === null) ? null : sum((table) => table.estimatedBytes ?? 0)
  const rates = tables.map((table) => table.bytesPerSecond).filter((rate): rate is number => rate !== null)
  const rate = rates.length === 0 ? null : rates.reduce((total, value) => total + value, 0)
  const bytes = sum((table) => table.bytes)
  const doneUnits = sum((table) => table.doneUnits)
  const units = sum((table) => table.units)
  return {
    units,
    doneUnits,
    rows: sum((table) => table.rows),
    bytes,
    estimatedBytes,
    bytesPerSecond: rate,
    etaSeconds: units > 0 && doneUnits === units ? 0 : eta(estimatedBytes, bytes, rate),
    retries: sum((table) => table.retries),
  }
}

function eta(estimatedBytes: number | null, bytes: number, rate: number | null): number | null {
  if (estimatedBytes === null || rate === null || rate <= 0) return null
  return Math.max(0, Math.round((estimatedBytes - bytes) / rate))
}

function notStarted(migration: string): MigrationStatus {
  return {
    migration,
    started: false,
    currentPhase: null,
    phases: [],
    tables: [],
    totals: { units: 0, doneUnits: 0, rows: 0, bytes: 0, estimatedBytes: null, bytesPerSecond: null, etaSeconds: null, retries: 0 },
    incremental: null,
  }
}
