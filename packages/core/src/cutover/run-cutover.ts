import { quoteIdentifier } from '@pgshift/schema-diff'
import type pg from 'pg'
import { selectCopyTables } from '../copy/index.js'
import { ddlScope } from '../incremental/ddl/index.js'
import { followChanges } from '../incremental/follow-changes.js'
import { parseLsn } from '../incremental/pgoutput/index.js'
import { inspectDatabases } from '../plan/index.js'
import type { Inspection } from '../plan/index.js'
import type { Database } from '../pg/index.js'
import { syncSequences } from '../sequences/index.js'
import type { MigrationSpec } from '../spec/index.js'
import {
  finishPhase,
  readCutoverSteps,
  readReplication,
  recordCutoverStep,
  requestReplicationStop,
  setReplicationStatus,
  startPhase,
} from '../state/index.js'
import { guardedListener } from './cutover-event.js'
import type { CutoverEvent, CutoverEventListener } from './cutover-event.js'
import { releaseReplication } from './release-source.js'
import { holdApplyLock, openReleaseSessions, tryApplyLock } from './release-sessions.js'

export interface RunCutoverOptions {
  readonly spec: MigrationSpec
  /** How long to wait for the destination to catch up (and a running apply to stop). */
  readonly timeoutMs: number
  /** Revoke this role's INSERT, UPDATE, DELETE and TRUNCATE on the migrated destination tables. */
  readonly revokeWrites?: string
  /** Added to every sequence's source value, for writes that reach the source after cutover. */
  readonly sequenceGap?: bigint
  readonly onEvent?: CutoverEventListener
}

/** The destination did not catch up within the timeout; nothing was released. */
export class NotCaughtUpError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NotCaughtUpError'
  }
}

/** Another apply is running and did not stop within the timeout, or is not incremental. */
export class ApplyRunningError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ApplyRunningError'
  }
}

/**
 * `pgshift cutover`: waits until the destination has applied everything the source had
 * committed when cutover started (asking a running `apply` to stop once it has, or catching up
 * itself when none runs), sets the destination's sequences to the source's values (plus the
 * gap), releases the replication (slot, publication, DDL capture, heartbeat, replica
 * identities, origin) and with `revokeWrites` revokes that role's writes on the migrated
 * tables. Each step is recorded in `pgshift.cutover_steps` and skipped by a re-run, so running
 * cutover again after it finished changes nothing. Stop the applications' writes to the source
 * first: what the source commits after cutover started is not guaranteed to arrive.
 *
 * @throws NotCaughtUpError, ApplyRunningError (nothing was released in either case)
 */
export async function runCutover(options: RunCutoverOptions): Promise<void> {
  const { spec } = options
  const migration = spec.metadata.name
  const emit = guardedListener(options.onEvent)
  const sessions = await openReleaseSessions(spec, 'cutover')
  const { source, destination, lock } = sessions
  try {
    const incremental = spec.types.includes('incremental')
    const record = incremental ? await readReplication(lock, migration) : null
    if (incremental && record === null) {
      throw new ApplyRunningError(`migration ${migration} has not started incremental migration: run apply first`)
    }
    if (record?.status === 'aborted') {
      throw new ApplyRunningError(`migration ${migration} was aborted: there is nothing to cut over`)
    }
    const deadline = Date.now() + options.timeoutMs
    const done = await readCutoverSteps(lock, migration)
    await startPhase(lock, migration, 'cutover')

    if (incremental && !done.has('caught-up')) {
      const detail = await catchUp(options, source, destination, lock, deadline, emit)
      await recordCutoverStep(lock, migration, 'caught-up', detail)
      emit({ type: 'step-done', step: 'caught-up', detail })
    } else {
      await holdApplyLock(lock, migration, deadline, () => applyStillRunning(migration))
      if (incremental) emit({ type: 'step-skipped', step: 'caught-up', reason: 'done by an earlier run' })
    }

    let inspection: Inspection | undefined
    const inspect = async () => (inspection ??= await inspectDatabases(source, destination, spec))
    if (!done.has('sequences')) {
      const synced = await syncSequences(source, destination, (await inspect()).sequences, { gap: options.sequenceGap ?? 0n })
      const detail = { sequences: synced.length, gap: (options.sequenceGap ?? 0n).toString() }
      await recordCutoverStep(lock, migration, 'sequences', detail)
      emit({ type: 'step-done', step: 'sequences', detail })
    } else {
      emit({ type: 'step-skipped', step: 'sequences', reason: 'done by an earlier run' })
    }

    if (record !== null) {
      await releaseReplication({
        source,
        destination,
        record: (await readReplication(lock, migration)) ?? record,
        ddlCapture: spec.options.ddl,
        onEvent: emit,
      })
      await setReplicationStatus(lock, migration, 'cut-over')
    }

    if (options.revokeWrites !== undefined) {
      const step = `revoke-writes:${options.revokeWrites}`
      if (!done.has(step)) {
        const tables = destinationTables(spec, await inspect())
        const role = quoteIdentifier(options.revokeWrites)
        for (const table of tables) {
          await destination.pool.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${table} FROM ${role}`)
        }
        const detail = { role: options.revokeWrites, tables: tables.length }
        await recordCutoverStep(lock, migration, step, detail)
        emit({ type: 'step-done', step, detail })
      } else {
        emit({ type: 'step-skipped', step, reason: 'done by an earlier run' })
      }
    }
    await finishPhase(lock, migration, 'cutover', { status: 'done' })
  } catch (error) {
    await finishPhase(lock, migration, 'cutover', {
      status: 'failed',
      error: error instanceof Error ? error.message : String(error),
    }).catch(() => {})
    throw error
  } finally {
    // ending the lock's session releases the apply lock
    await sessions.close()
  }
}

/**
 * Brings the destination up to the source's current position. With an apply following, waits
 * for it, then asks it to stop and takes its lock (no apply can restart meanwhile); without
 * one, takes the lock and applies the remaining changes itself.
 */
async function catchUp(
  options: RunCutoverOptions,
  source: Database,
  destination: Database,
  lock: pg.Client,
  deadline: number,
  emit: (event: CutoverEvent) => void,
): Promise<Record<string, unknown>> {
  const { spec } = options
  const migration = spec.metadata.name
  const target = await currentLsn(source)
  if (await tryApplyLock(lock, migration)) {
    const result = await followChanges({
      source,
      destination,
      spec,
      ...(await followInputs(spec, source, destination)),
      until: { kind: 'lsn', lsn: target },
      signal: AbortSignal.timeout(Math.max(0, deadline - Date.now())),
    })
    const applied = parseLsn(result.appliedLsn)
    if (applied < parseLsn(target)) {
      throw new NotCaughtUpError(
        `the destination did not catch up with the source within the timeout (applied ${result.appliedLsn}, ` +
          `source at ${target} when cutover started); nothing was released — re-run cutover, with a longer --timeout`,
      )
    }
    return { sourceLsn: target, appliedLsn: result.appliedLsn, by: 'cutover' }
  }
  // an apply process follows: wait until it has applied the target, then stop it
  for (;;) {
    const record = await readReplication(lock, migration)
    const applied = record === null ? 0n : parseLsn(record.appliedLsn)
    if (applied >= parseLsn(target)) break
    if (Date.now() > deadline) {
      throw new NotCaughtUpError(
        `the destination did not catch up with the source within the timeout (applied ${record?.appliedLsn ?? '0/0'}, ` +
          `source at ${target} when cutover started); nothing was released — re-run cutover, with a longer --timeout`,
      )
    }
    emit({
      type: 'waiting',
      targetLsn: target,
      appliedLsn: record?.appliedLsn ?? '0/0',
      lagBytes: Number(parseLsn(target) - applied),
    })
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  await requestReplicationStop(lock, migration, 'cutover')
  await holdApplyLock(lock, migration, deadline, () => applyStillRunning(migration))
  const record = await readReplication(lock, migration)
  return { sourceLsn: target, appliedLsn: record?.appliedLsn ?? null, by: 'apply' }
}

async function followInputs(spec: MigrationSpec, source: Database, destination: Database) {
  const inspection = await inspectDatabases(source, destination, spec)
  return {
    tables: selectCopyTables(spec, inspection.sourceModel),
    scope: spec.options.ddl ? ddlScope(spec, inspection.selection) : undefined,
  }
}

async function currentLsn(source: Database): Promise<string> {
  const { rows } = await source.pool.query<{ lsn: string }>('SELECT pg_catalog.pg_current_wal_insert_lsn()::text AS lsn')
  return rows[0]?.lsn ?? '0/0'
}

function applyStillRunning(migration: string): ApplyRunningError {
  return new ApplyRunningError(
    `an apply of migration ${migration} is still running (it holds the migration's lock); stop it, then re-run cutover`,
  )
}

/** The migrated destination tables (partitioned parents and their partitions), quoted. */
function destinationTables(spec: MigrationSpec, inspection: Inspection): string[] {
  const names = new Set(inspection.selection.tables.map((selected) => selected.destinationQualifiedName))
  for (const table of selectCopyTables(spec, inspection.sourceModel)) {
    names.add(`${quoteIdentifier(table.destination.schema)}.${quoteIdentifier(table.destination.name)}`)
  }
  return [...names].sort()
}
