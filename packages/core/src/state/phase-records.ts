import { PGSHIFT_STATE_SCHEMA } from '@pgshift/schema-diff'
import type pg from 'pg'

/** The engine's phases in the order they run (DESIGN.md §5). */
export const PHASES = ['schema-pre-data', 'incremental-setup', 'full', 'schema-post-data', 'sequences', 'incremental', 'cutover'] as const

export type PhaseName = (typeof PHASES)[number]

/** A phase as `pgshift.phases` holds it. */
export interface PhaseRecord {
  readonly phase: string
  readonly status: 'running' | 'done' | 'failed'
  readonly startedAt: Date
  readonly finishedAt: Date | null
  readonly detail: Readonly<Record<string, unknown>>
  readonly error: string | null
}

/** Marks a phase running (again): a re-run after a failure or kill starts it over. */
export async function startPhase(client: pg.ClientBase, migration: string, phase: PhaseName): Promise<void> {
  await client.query(
    `INSERT INTO ${PGSHIFT_STATE_SCHEMA}.phases (migration, phase, status)
     VALUES ($1, $2, 'running')
     ON CONFLICT (migration, phase) DO UPDATE
       SET status = 'running', started_at = clock_timestamp(), finished_at = NULL, error = NULL`,
    [migration, phase],
  )
}

/** Records how a phase ended, with figures for `pgshift status`. */
export async function finishPhase(
  client: pg.ClientBase,
  migration: string,
  phase: PhaseName,
  outcome: { readonly status: 'done' | 'failed'; readonly detail?: Record<string, unknown>; readonly error?: string },
): Promise<void> {
  await client.query(
    `UPDATE ${PGSHIFT_STATE_SCHEMA}.phases
     SET status = $3, finished_at = clock_timestamp(), detail = detail || $4::jsonb, error = $5
     WHERE migration = $1 AND phase = $2`,
    [migration, phase, outcome.status, JSON.stringify(outcome.detail ?? {}), outcome.error ?? null],
  )
}

/** Every phase recorded for the migration, in engine order. */
export async function readPhases(client: pg.ClientBase, migration: string): Promise<PhaseRecord[]> {
  const { rows } = await client.query<{
    phase: string
    status: PhaseRecord['status']
    started_at: Date
    finished_at: Date | null
    detail: Record<string, unknown>
    error: string | null
  }>(
    `SELECT phase, status, started_at, finished_at, detail, error
     FROM ${PGSHIFT_STATE_SCHEMA}.phases WHERE migration = $1`,
    [migration],
  )
  const order = (phase: string) => {
    const index = PHASES.indexOf(phase as PhaseName)
    return index === -1 ? PHASES.length : index
  }
  return rows
    .map((row) => ({
      phase: row.phase,
      status: row.status,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      detail: row.detail,
      error: row.error,
    }))
    .sort((a, b) => order(a.phase) - order(b.phase))
}
