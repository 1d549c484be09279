import pg from 'pg'
import { openDatabase, sessionOptions } from '../pg/index.js'
import type { Database } from '../pg/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { ensureStateSchema, readReplication, requestReplicationStop, setReplicationStatus } from '../state/index.js'
import type { CutoverEvent, CutoverEventListener } from './cutover-event.js'
import { releaseReplication } from './release-source.js'
import { ApplyRunningError } from './run-cutover.js'

export interface RunAbortOptions {
  readonly spec: MigrationSpec
  /** How long a running apply gets to stop. */
  readonly timeoutMs: number
  readonly onEvent?: CutoverEventListener
}

/**
 * `pgshift abort`: gives up the incremental migration without cutting over. A running apply is
 * asked to stop; then the slot, publication, DDL capture, heartbeat and origin are released
 * and the replica identities put back, exactly as cutover would (same recorded, re-runnable
 * steps), but the destination's data and sequences are left as they are. Returns false when
 * there was nothing to abort (no incremental set-up).
 */
export async function runAbort(options: RunAbortOptions): Promise<boolean> {
  const { spec } = options
  const migration = spec.metadata.name
  const emit = (event: CutoverEvent) => {
    try {
      options.onEvent?.(event)
    } catch {
      // listeners must not break the abort
    }
  }
  const source = await openDatabase(spec.source.url, { role: 'source', maxConnections: 2, applicationName: 'pgshift abort' })
  let destination: Database | undefined
  const lock = new pg.Client({ connectionString: spec.destination.url.reveal(), options: sessionOptions(), application_name: 'pgshift abort' })
  lock.on('error', () => {})
  try {
    destination = await openDatabase(spec.destination.url, { role: 'destination', maxConnections: 2, applicationName: 'pgshift abort' })
    await lock.connect()
    await ensureStateSchema(lock)
    const record = await readReplication(lock, migration)
    if (record === null) return false
    if (record.status === 'cut-over') {
      throw new ApplyRunningError(`migration ${migration} was cut over already: there is nothing to abort`)
    }
    await requestReplicationStop(lock, migration, 'abort')
    const deadline = Date.now() + options.timeoutMs
    for (;;) {
      const { rows } = await lock.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext('pgshift apply'), hashtext($1)) AS locked`,
        [migration],
      )
      if (rows[0]?.locked === true) break
      if (Date.now() > deadline) {
        throw new ApplyRunningError(`an apply of migration ${migration} did not stop within the timeout; stop it, then re-run abort`)
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    await releaseReplication({
      source,
      destination,
      record,
      ddlCapture: spec.options.ddl,
      onEvent: emit,
    })
    await setReplicationStatus(lock, migration, 'aborted')
    return true
  } finally {
    await lock.end().catch(() => {})
    await Promise.all([source.close(), destination?.close()])
  }
}
