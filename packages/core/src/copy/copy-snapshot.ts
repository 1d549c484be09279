import { quoteIdentifier } from '@pgshift/schema-diff'
import pg from 'pg'
import { sessionOptions } from '../pg/index.js'
import type { ConnectionUrl } from '../spec/index.js'

/**
 * A snapshot of the source that every copy worker imports (`SET TRANSACTION SNAPSHOT`), so
 * all units see one consistent state. It lives as long as the session that exported it.
 */
export interface CopySnapshot {
  /** The exported snapshot's identifier. */
  readonly name: string
  /**
   * The LSN the snapshot is consistent with: changes committed before it are in the copied
   * rows, later ones come through the slot. Null for a snapshot not tied to a slot.
   */
  readonly lsn: string | null
  /** The slot created with the snapshot (the migration's own, or a temporary one), or null. */
  readonly slotName: string | null
  /** Whether this snapshot created the migration's replication slot. */
  readonly createdSlot: boolean
  /** True once the exporting session is gone: importing it then fails. */
  readonly isLost: boolean
  /** Ends the exporting session (a temporary slot goes with it). */
  close(): Promise<void>
}

/** Options of {@link openCopySnapshot}. */
export interface OpenCopySnapshotOptions {
  /** The spec's metadata.name. */
  readonly migration: string
  /**
   * Tie the snapshot to a logical replication slot (incremental migrations): the migration's
   * slot is created with it; when the slot exists already (a resumed run), a temporary slot
   * is created for the snapshot and its LSN, and the migration's slot stays untouched.
   */
  readonly withSlot: boolean
}

/** The migration's logical replication slot: `pgshift_` + metadata.name with `-` as `_`. */
export function replicationSlotName(migration: string): string {
  return `pgshift_${migration.replace(/-/g, '_')}`
}

/**
 * Exports a snapshot of the source. With a slot: `CREATE_REPLICATION_SLOT ... (SNAPSHOT
 * 'export')` on a replication connection that then stays idle — any further command on it
 * would invalidate the snapshot. Without: `pg_export_snapshot()` in a REPEATABLE READ READ ONLY
 * transaction held open by a coordinator session.
 */
export async function openCopySnapshot(url: ConnectionUrl, options: OpenCopySnapshotOptions): Promise<CopySnapshot> {
  // the holder sits idle in a transaction for the whole copy: no server timeout may end it
  const settings = sessionOptions({ idle_in_transaction_session_timeout: '0', statement_timeout: '0' })
  if (!options.withSlot) {
    const client = new pg.Client({
      connectionString: url.reveal(),
      options: settings,
      application_name: 'pgshift snapshot',
      keepAlive: true,
    })
    const holder = watch(client)
    await client.connect()
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const { rows } = await client.query<{ name: string }>('SELECT pg_export_snapshot() AS name')
      return snapshot(holder, rows[0]?.name ?? '', null, null, false)
    } catch (error) {
      await client.end().catch(() => {})
      throw error
    }
  }

  const slot = replicationSlotName(options.migration)
  const { exists, version } = await inspectSource(url, slot)
  const client = new pg.Client({
    connectionString: url.reveal(),
    options: settings,
    application_name: 'pgshift snapshot',
    keepAlive: true,
    replication: 'database',
  } as pg.ClientConfig)
  const holder = watch(client)
  await client.connect()
  try {
    const name = exists ? `${slot}_r${process.pid}` : slot
    const temporary = exists ? ' TEMPORARY' : ''
    // the parenthesised option list is PostgreSQL 15's syntax; EXPORT_SNAPSHOT the older one
    const exported = version >= 150000 ? "(SNAPSHOT 'export')" : 'EXPORT_SNAPSHOT'
    const { rows } = await client.query<{ consistent_point: string; snapshot_name: string }>(
      `CREATE_REPLICATION_SLOT ${quoteIdentifier(name)}${temporary} LOGICAL pgoutput ${exported}`,
    )
    const created = rows[0]
    if (created === undefined) throw new Error(`CREATE_REPLICATION_SLOT ${name} returned nothing`)
    return snapshot(holder, created.snapshot_name, created.consistent_point, name, !exists)
  } catch (error) {
    await client.end().catch(() => {})
    throw new Error(`creating replication slot ${slot} with an exported snapshot: ${(error as Error).message}`, {
      cause: error,
    })
  }
}

interface Holder {
  readonly client: pg.Client
  lost: boolean
}

function watch(client: pg.Client): Holder {
  const holder: Holder = { client, lost: false }
  // a lost holder is not fatal here: workers fail to import the snapshot and a new one is taken
  client.on('error', () => {
    holder.lost = true
  })
  client.on('end', () => {
    holder.lost = true
  })
  return holder
}

function snapshot(
  holder: Holder,
  name: string,
  lsn: string | null,
  slotName: string | null,
  createdSlot: boolean,
): CopySnapshot {
  return {
    name,
    lsn,
    slotName,
    createdSlot,
    get isLost() {
      return holder.lost
    },
    close: async () => {
      holder.lost = true
      await holder.client.end().catch(() => {})
    },
  }
}

async function inspectSource(url: ConnectionUrl, slot: string): Promise<{ exists: boolean; version: number }> {
  const client = new pg.Client({ connectionString: url.reveal(), options: sessionOptions() })
  client.on('error', () => {})
  await client.connect()
  try {
    const { rows } = await client.query<{ exists: boolean; version: number }>(
      `SELECT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = $1) AS exists,
              current_setting('server_version_num')::int AS version`,
      [slot],
    )
    return { exists: rows[0]?.exists ?? false, version: rows[0]?.version ?? 0 }
  } finally {
    await client.end().catch(() => {})
  }
}
