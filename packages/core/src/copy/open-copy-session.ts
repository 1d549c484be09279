import pg from 'pg'
import { sessionOptions } from '../pg/index.js'
import type { DatabaseRole } from '../pg/index.js'
import type { ConnectionUrl } from '../spec/index.js'

/** What a destination session could not be given; reported once as a warning. */
export type SessionWarning = { readonly code: string; readonly message: string }

/**
 * A dedicated connection for one copy worker, with pgshift's pinned settings (text COPY reads
 * and prints values by them) and no statement or idle timeouts, which would end a long COPY.
 * Destination sessions also get:
 * - `session_replication_role = replica`, so user triggers and foreign-key checks stay quiet
 *   while rows are loaded (superuser, or a role granted SET on it); without the privilege
 *   the copy proceeds and `onWarning` says so;
 * - `synchronous_commit = off`: a unit's rows and its done-mark commit together, so a server
 *   crash can only lose both, which the next run redoes; waiting for each flush buys nothing.
 */
export async function openCopySession(
  url: ConnectionUrl,
  role: DatabaseRole,
  onWarning: (warning: SessionWarning) => void,
): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url.reveal(),
    application_name: `pgshift copy ${role}`,
    keepAlive: true,
    options: sessionOptions({ statement_timeout: '0', idle_in_transaction_session_timeout: '0', lock_timeout: '0' }),
  })
  // a server or network failure surfaces through the running query; without a listener the
  // 'error' event would crash the process
  client.on('error', () => {})
  await client.connect()
  if (role === 'destination') {
    try {
      await client.query('SET synchronous_commit = off')
      await client.query('SET session_replication_role = replica')
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code !== '42501') {
        await client.end().catch(() => {})
        throw error
      }
      onWarning({
        code: 'REPLICATION_ROLE_DENIED',
        message:
          'cannot SET session_replication_role = replica on the destination (needs superuser or ' +
          'GRANT SET ON PARAMETER session_replication_role): triggers and foreign keys present ' +
          'during the copy will fire',
      })
    }
  }
  return client
}
