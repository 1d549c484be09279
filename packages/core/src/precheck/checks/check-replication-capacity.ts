import { isIncremental } from '../precheck-context.js'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { queryRows } from '../query-rows.js'

interface CapacityRow {
  readonly max_slots: number
  readonly used_slots: number
  readonly max_senders: number
  readonly used_senders: number
}

/**
 * Incremental migration needs one free replication slot and one free WAL sender: the one
 * replication connection creates the slot, exports the snapshot and then streams. Copy workers
 * are ordinary connections (SET TRANSACTION SNAPSHOT), so `parallel` needs no more senders.
 */
export const checkReplicationCapacity: Precheck = {
  name: 'replication slots and WAL senders',
  async run(context) {
    if (!isIncremental(context)) return []
    // TODO(#5): a slot left by an earlier run of this migration is reused, so
    // it should not count against the free ones once the state schema names it
    const [row] = await queryRows<CapacityRow>(
      context.source,
      `SELECT pg_catalog.current_setting('max_replication_slots')::int AS max_slots,
              (SELECT count(*) FROM pg_catalog.pg_replication_slots)::int AS used_slots,
              pg_catalog.current_setting('max_wal_senders')::int AS max_senders,
              (SELECT count(*) FROM pg_catalog.pg_stat_activity
                WHERE backend_type = 'walsender')::int AS used_senders`,
    )
    if (row === undefined) return []
    const findings: PrecheckFinding[] = []
    if (row.max_slots - row.used_slots < 1) {
      findings.push({
        code: 'REPLICATION_SLOTS',
        severity: 'error',
        message:
          `the source has no free replication slot (max_replication_slots = ${row.max_slots}, ` +
          `${row.used_slots} in use): incremental migration needs one`,
        hint:
          'Drop unused slots (SELECT pg_drop_replication_slot(slot_name) FROM ' +
          'pg_replication_slots WHERE NOT active) or raise max_replication_slots and restart.',
        object: 'source',
      })
    }
    if (row.max_senders - row.used_senders < 1) {
      findings.push({
        code: 'WAL_SENDERS',
        severity: 'error',
        message:
          `the source has no free WAL sender (max_wal_senders = ${row.max_senders}, ` +
          `${row.used_senders} in use): incremental migration streams through one`,
        hint: 'Raise max_wal_senders on the source and restart it, or stop an unused replica.',
        object: 'source',
      })
    }
    return findings
  },
}
