import type { MigrationSpec } from '../spec/index.js'
import { readReplication, requestReplicationStop, setReplicationStatus } from '../state/index.js'
import { guardedListener } from './cutover-event.js'
import type { CutoverEventListener } from './cutover-event.js'
import { releaseReplication } from './release-source.js'
import { holdApplyLock, openReleaseSessions } from './release-sessions.js'
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
  const emit = guardedListener(options.onEvent)
  const sessions = await openReleaseSessions(spec, 'abort')
  const { source, destination, lock } = sessions
  try {
    const record = await readReplication(lock, migration)
    if (record === null) return false
    if (record.status === 'cut-over') {
      throw new ApplyRunningError(`migration ${migration} was cut over already: there is nothing to abort`)
    }
    await requestReplicationStop(lock, migration, 'abort')
    await holdApplyLock(
      lock,
      migration,
      Date.now() + options.timeoutMs,
      () => new ApplyRunningError(`an apply of migration ${migration} did not stop within the timeout; stop it, then re-run abort`),
    )
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
    await sessions.close()
  }
}
