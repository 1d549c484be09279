import { isIncremental } from '../precheck-context.js'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { queryRows } from '../query-rows.js'

interface TransactionRow {
  readonly pid: number
  readonly database: string | null
  readonly role: string | null
  readonly state: string | null
  readonly age_seconds: number
}

/**
 * Old open transactions on the source: creating the logical slot waits until every
 * transaction running at that moment has ended (in any database of the cluster), so the
 * snapshot and the copy wait with it. Sessions of other roles are only visible to superusers
 * and members of pg_read_all_stats.
 */
export const checkLongTransactions: Precheck = {
  name: 'long-running transactions',
  async run(context) {
    if (!isIncremental(context)) return []
    const rows = await queryRows<TransactionRow>(
      context.source,
      `SELECT pid, datname AS database, usename AS role, state,
              floor(extract(epoch FROM now() - xact_start))::int AS age_seconds
         FROM pg_catalog.pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_catalog.pg_backend_pid()
          AND xact_start < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY xact_start, pid`,
      [context.options.longTransactionMs],
    )
    return rows.map(
      (row): PrecheckFinding => ({
        code: 'LONG_RUNNING_TRANSACTION',
        severity: 'warning',
        message:
          `source session ${row.pid} (role ${row.role ?? '?'}, database ${row.database ?? '?'}, ` +
          `${row.state ?? 'state unknown'}) has had a transaction open for ` +
          `${formatAge(row.age_seconds)}: the replication slot cannot become consistent, and ` +
          'the copy cannot start, until it ends',
        hint:
          'End it before applying (commit or roll back; ' +
          `SELECT pg_terminate_backend(${row.pid}) as a last resort).`,
        object: `pid ${row.pid}`,
      }),
    )
  },
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`
  return `${Math.floor(seconds / 3600)} h`
}
