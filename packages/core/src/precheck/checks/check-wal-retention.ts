import { setTimeout as sleep } from 'node:timers/promises'
import { isIncremental } from '../precheck-context.js'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { queryRows } from '../query-rows.js'
import { formatBytes } from '../../format/format-figures.js'

interface RetentionRow {
  readonly written: string
  readonly selected_bytes: string
  readonly max_keep: string | null
}

/**
 * The slot is created before the full copy and holds back WAL until the copy is done and the
 * stream catches up, so the source keeps (write rate × copy time) of WAL. With
 * max_slot_wal_keep_size the slot is invalidated past that size (the migration must restart);
 * without it (-1) the WAL can fill the source's disk.
 */
export const checkWalRetention: Precheck = {
  name: 'WAL retention',
  async run(context) {
    if (!isIncremental(context)) return []
    const { walSampleMs, copyBytesPerSecond } = context.options
    const [start] = await queryRows<{ lsn: string }>(
      context.source,
      'SELECT pg_catalog.pg_current_wal_lsn()::text AS lsn',
    )
    if (start === undefined) return []
    const startedAt = performance.now()
    if (walSampleMs > 0) await sleep(walSampleMs)
    const [row] = await queryRows<RetentionRow>(
      context.source,
      `SELECT pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), $1::pg_lsn)::bigint
                AS written,
              (SELECT coalesce(sum(pg_catalog.pg_table_size(t.name::regclass)), 0)
                 FROM unnest($2::text[]) AS t(name))::bigint AS selected_bytes,
              pg_catalog.pg_size_bytes(
                pg_catalog.current_setting('max_slot_wal_keep_size', true))::bigint AS max_keep`,
      [start.lsn, context.selection.tables.map((selected) => selected.sourceName)],
    )
    if (row === undefined) return []
    const elapsedMs = Math.max(1, performance.now() - startedAt)
    const finding = assessWalRetention({
      writeBytesPerSecond: walSampleMs > 0 ? (Number(row.written) * 1000) / elapsedMs : 0,
      selectedBytes: Number(row.selected_bytes),
      copyBytesPerSecond,
      maxKeepBytes: row.max_keep === null ? -1 : Number(row.max_keep),
    })
    return finding === undefined ? [] : [finding]
  },
}

/** What the WAL retention estimate is made of. */
export interface WalRetentionInput {
  readonly writeBytesPerSecond: number
  readonly selectedBytes: number
  readonly copyBytesPerSecond: number
  /** max_slot_wal_keep_size in bytes; -1 when unbounded. */
  readonly maxKeepBytes: number
}

/** The retention warning for an estimate, if any; pure. */
export function assessWalRetention(input: WalRetentionInput): PrecheckFinding | undefined {
  const copySeconds = input.selectedBytes / Math.max(1, input.copyBytesPerSecond)
  const retained = input.writeBytesPerSecond * copySeconds
  // the copy-time part is stable across plans; the write rate is a live measurement, kept
  // apart so that plans of the same inputs stay byte-identical
  const copy =
    `the full copy (${formatBytes(input.selectedBytes)} at ${formatBytes(input.copyBytesPerSecond)}/s, ` +
    `about ${formatSeconds(copySeconds)})`
  const measured =
    `${formatBytes(input.writeBytesPerSecond)}/s of WAL written now × ${formatSeconds(copySeconds)} ` +
    `= about ${formatBytes(retained)} retained`
  if (input.maxKeepBytes < 0) {
    return {
      code: 'WAL_RETENTION',
      severity: 'warning',
      message:
        `the source must retain the WAL written during ${copy}, and max_slot_wal_keep_size is ` +
        'unbounded (-1): a stalled migration lets its slot hold WAL until the disk is full',
      hint:
        'Set max_slot_wal_keep_size on the source to what its disk can spare (it is reloaded, ' +
        'no restart), and watch pg_replication_slots while the migration runs.',
      object: 'source',
      measured,
    }
  }
  if (retained <= input.maxKeepBytes) return undefined
  return {
    code: 'WAL_RETENTION',
    severity: 'warning',
    message:
      `the source must retain the WAL written during ${copy}, more than max_slot_wal_keep_size ` +
      `(${formatBytes(input.maxKeepBytes)}) at the current write rate: the slot would be invalidated during the copy`,
    hint:
      'Raise max_slot_wal_keep_size, migrate at a quieter time, or split the migration into ' +
      'smaller specs.',
    object: 'source',
    measured,
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`
  return `${(seconds / 3600).toFixed(1)} h`
}
