import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { ConnectionUrl } from '../spec/index.js'
import { connectionError } from './connection-error.js'
import type { DatabaseRole } from './connection-error.js'
import { sessionOptions } from './session-settings.js'

/** An open connection pool to one side of a migration. */
export interface Database {
  readonly role: DatabaseRole
  readonly url: ConnectionUrl
  readonly pool: pg.Pool
  readonly kysely: Kysely<any>
  close(): Promise<void>
}

/** How to open a {@link Database}. */
export interface OpenDatabaseOptions {
  readonly role: DatabaseRole
  /** Pool size; introspection and DDL need one or two connections. */
  readonly maxConnections?: number
  /** Shown in pg_stat_activity, so DBAs can tell pgshift's sessions apart. */
  readonly applicationName?: string
  readonly connectTimeoutMs?: number
}

/**
 * Opens a pool with pgshift's pinned session settings and proves it with one round trip, so a
 * wrong host or password fails here with a message that names the host and the fix.
 */
export async function openDatabase(url: ConnectionUrl, options: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url.reveal(),
    max: options.maxConnections ?? 2,
    application_name: options.applicationName ?? `pgshift ${options.role}`,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    options: sessionOptions(),
  })
  // an idle client losing its server must not crash the process; the next query reports it
  pool.on('error', () => {})
  try {
    await pool.query('SELECT 1')
  } catch (error) {
    await pool.end().catch(() => {})
    throw connectionError(error, url, options.role)
  }
  const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
  return {
    role: options.role,
    url,
    pool,
    kysely,
    // Kysely's destroy ends the pool it was given
    close: () => kysely.destroy(),
  }
}
