import { PGSHIFT_STATE_SCHEMA } from '@pgshift/schema-diff'
import type pg from 'pg'

/** What a run records when it starts. */
export interface RunStart {
  readonly migration: string
  /** The engine phase: `full`, later `incremental`, `validate`, ... */
  readonly phase: string
  readonly snapshotName?: string | null
  readonly snapshotLsn?: string | null
  readonly slotName?: string | null
}

/** Records the start of a run of one phase; returns its id. */
export async function startRun(client: pg.ClientBase, run: RunStart): Promise<number> {
  const { rows } = await client.query<{ run_id: string }>(
    `INSERT INTO ${PGSHIFT_STATE_SCHEMA}.runs (migration, phase, status, snapshot_name, snapshot_lsn, slot_name)
     VALUES ($1, $2, 'running', $3, $4::pg_lsn, $5) RETURNING run_id`,
    [run.migration, run.phase, run.snapshotName ?? null, run.snapshotLsn ?? null, run.slotName ?? null],
  )
  return Number(rows[0]?.run_id)
}

/**
 * Records how a run ended. A run killed before this stays `running`; the next run's own row
 * says that it took over.
 */
export async function finishRun(
  client: pg.ClientBase,
  runId: number,
  status: 'done' | 'failed',
  error?: string,
): Promise<void> {
  await client.query(
    `UPDATE ${PGSHIFT_STATE_SCHEMA}.runs SET status = $2, error = $3, finished_at = clock_timestamp() WHERE run_id = $1`,
    [runId, status, error ?? null],
  )
}
