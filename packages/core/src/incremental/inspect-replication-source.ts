import pg from 'pg'
import { connectionError, sessionOptions } from '../pg/index.js'
import type { ConnectionUrl } from '../spec/index.js'
import { readReplicationSlot } from './read-replication-slot.js'
import { ReplicationStreamError } from './replication-stream-error.js'

/** What a stream needs to know before START_REPLICATION. */
export interface ReplicationSourceFacts {
  /** `server_version_num`: protocol 2 and streaming need 140000. */
  readonly serverVersion: number
  /** Where the slot resumes; 0 for a slot never streamed from. */
  readonly confirmedFlushLsn: bigint
}

/**
 * Reads the server version and checks the slot on a normal connection (a replication
 * connection cannot run parameterised queries).
 * @throws ReplicationStreamError `SLOT_NOT_FOUND` / `SLOT_NOT_PGOUTPUT`, or ConnectionError
 */
export async function inspectReplicationSource(
  url: ConnectionUrl,
  slot: string,
  options: { readonly applicationName?: string; readonly connectTimeoutMs?: number } = {},
): Promise<ReplicationSourceFacts> {
  const client = new pg.Client({
    connectionString: url.reveal(),
    application_name: options.applicationName ?? 'pgshift replication',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    options: sessionOptions(),
  })
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (error) {
    throw connectionError(error, url, 'source')
  }
  try {
    const { rows } = await client.query<{ version: number; database: string }>(
      `SELECT current_setting('server_version_num')::int AS version, current_database() AS database`,
    )
    const database = rows[0]?.database
    const state = await readReplicationSlot(client, slot)
    if (state === null) {
      throw new ReplicationStreamError('SLOT_NOT_FOUND', `replication slot ${slot} does not exist on the source`)
    }
    // a slot of another database would stream that database's changes
    if (state.plugin !== 'pgoutput' || state.database !== database) {
      throw new ReplicationStreamError(
        'SLOT_NOT_PGOUTPUT',
        `replication slot ${slot} is not a pgoutput slot of database ${database} ` +
          `(plugin ${state.plugin ?? 'none'}, database ${state.database ?? 'none'})`,
      )
    }
    return { serverVersion: rows[0]?.version ?? 0, confirmedFlushLsn: state.confirmedFlushLsn ?? 0n }
  } finally {
    await client.end().catch(() => {})
  }
}
