import pg from 'pg'
import { openDatabase, sessionOptions } from '../pg/index.js'
import type { Database } from '../pg/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { ensureStateSchema } from '../state/index.js'

/** What `cutover` and `abort` work with: both pools and a session that can hold the apply lock. */
export interface ReleaseSessions {
  readonly source: Database
  readonly destination: Database
  /** A destination session of its own: the advisory apply lock it takes lasts as long as it does. */
  readonly lock: pg.Client
  /** Ends everything (the lock with its session). */
  close(): Promise<void>
}

/** Opens the sessions of {@link ReleaseSessions}, closing what was opened when one fails. */
export async function openReleaseSessions(spec: MigrationSpec, command: 'cutover' | 'abort'): Promise<ReleaseSessions> {
  const applicationName = `pgshift ${command}`
  const source = await openDatabase(spec.source.url, { role: 'source', maxConnections: 4, applicationName })
  const lock = new pg.Client({
    connectionString: spec.destination.url.reveal(),
    options: sessionOptions(),
    application_name: applicationName,
  })
  lock.on('error', () => {})
  let destination: Database | undefined
  const close = async () => {
    await lock.end().catch(() => {})
    await Promise.all([source.close(), destination?.close()])
  }
  try {
    destination = await openDatabase(spec.destination.url, { role: 'destination', maxConnections: 4, applicationName })
    await lock.connect()
    await ensureStateSchema(lock)
    return { source, destination, lock, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** Takes the migration's apply lock if no apply holds it. */
export async function tryApplyLock(lock: pg.Client, migration: string): Promise<boolean> {
  const { rows } = await lock.query<{ locked: boolean }>(
    `SELECT pg_try_advisory_lock(hashtext('pgshift apply'), hashtext($1)) AS locked`,
    [migration],
  )
  return rows[0]?.locked === true
}

/** Takes the migration's apply lock, waiting until `deadline` for a stopping apply to let go of it. */
export async function holdApplyLock(
  lock: pg.Client,
  migration: string,
  deadline: number,
  onTimeout: () => Error,
): Promise<void> {
  for (;;) {
    if (await tryApplyLock(lock, migration)) return
    if (Date.now() > deadline) throw onTimeout()
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
