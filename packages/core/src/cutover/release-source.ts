import type pg from 'pg'
import { replicationSlotName } from '../copy/index.js'
import { removeDdlCapture } from '../incremental/ddl/index.js'
import { dropPublication } from '../incremental/drop-publication.js'
import { restoreReplicaIdentities } from '../incremental/replica-identity.js'
import { dropHeartbeat } from '../incremental/source-objects.js'
import type { Database } from '../pg/index.js'
import type { ReplicationRecord } from '../state/index.js'
import { readCutoverSteps, recordCutoverStep } from '../state/index.js'
import type { CutoverEventListener } from './cutover-event.js'

/** One idempotent, recorded step of releasing a migration's replication. */
interface ReleaseStep {
  readonly name: string
  run(): Promise<Record<string, unknown>>
}

/**
 * Removes everything the incremental phase left on both sides: DDL capture, the slot (its
 * walsender ended first), the publication, the heartbeat, the replica identities the migration
 * changed (put back), and the destination's replication origin. Each step is recorded in
 * `pgshift.cutover_steps` when done and skipped when a re-run finds it recorded; every step is
 * also harmless to repeat, so a kill between a step and its record changes nothing.
 */
export async function releaseReplication(options: {
  readonly source: Database
  readonly destination: Database
  readonly record: ReplicationRecord
  /** Whether the spec captured DDL (its event trigger and log table go too). */
  readonly ddlCapture: boolean
  readonly onEvent: CutoverEventListener
}): Promise<void> {
  const { source, destination, record } = options
  const migration = record.migration
  const slot = replicationSlotName(migration)
  const steps: ReleaseStep[] = []
  if (options.ddlCapture) {
    steps.push({
      name: 'drop-ddl-capture',
      run: async () => {
        const client = await source.pool.connect()
        try {
          await removeDdlCapture(client, migration)
        } finally {
          client.release()
        }
        return {}
      },
    })
  }
  steps.push(
    {
      name: 'drop-slot',
      run: async () => ({ dropped: await dropSlot(source.pool, slot) }),
    },
    {
      name: 'drop-publication',
      run: async () => (await dropPublication(source.pool, record.publication), { publication: record.publication }),
    },
    { name: 'drop-heartbeat', run: async () => (await dropHeartbeat(source.pool, migration), {}) },
    {
      name: 'restore-replica-identity',
      run: async () => {
        await restoreReplicaIdentities(source.pool, record.replicaIdentityChanges)
        return { tables: record.replicaIdentityChanges.map((change) => change.table) }
      },
    },
    {
      name: 'drop-replication-origin',
      run: async () => {
        const { rows } = await destination.pool
          .query<{ dropped: boolean }>(
            `SELECT pg_catalog.pg_replication_origin_drop(roname) IS NULL AS dropped
               FROM pg_catalog.pg_replication_origin WHERE roname = $1`,
            [slot],
          )
          .catch((error: { code?: string }) => {
            // without the right to manage origins, apply never created one
            if (error.code === '42501') return { rows: [] }
            throw error
          })
        return { dropped: rows.length > 0 }
      },
    },
  )
  const done = await readCutoverSteps(destination.pool, migration)
  for (const step of steps) {
    if (done.has(step.name)) {
      options.onEvent({ type: 'step-skipped', step: step.name, reason: 'done by an earlier run' })
      continue
    }
    const detail = await step.run()
    await recordCutoverStep(destination.pool, migration, step.name, detail)
    options.onEvent({ type: 'step-done', step: step.name, detail })
  }
}

/** Drops the slot if it exists, ending the walsender that still holds it. */
async function dropSlot(source: pg.Pool, slot: string): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await source.query<{ active_pid: number | null }>(
      'SELECT active_pid FROM pg_catalog.pg_replication_slots WHERE slot_name = $1',
      [slot],
    )
    const row = rows[0]
    if (row === undefined) return false
    if (row.active_pid !== null) {
      await source.query('SELECT pg_catalog.pg_terminate_backend($1)', [row.active_pid])
      await new Promise((resolve) => setTimeout(resolve, 100))
      continue
    }
    try {
      await source.query('SELECT pg_catalog.pg_drop_replication_slot($1)', [slot])
      return true
    } catch (error) {
      // released a moment ago but not yet free, or just dropped by a racing run
      if (attempt < 50 && (error as { code?: string }).code === '55006') continue
      if ((error as { code?: string }).code === '42704') return false
      throw error
    }
  }
}
