import { quoteLiteral, quoteQualifiedName } from '@pgshift/schema-diff'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { lockCopyUnit, markCopyUnitDone } from '../state/index.js'
import { CopyMeter } from './copy-meter.js'
import type { CopyMeterOptions } from './copy-meter.js'
import { CopyInStream } from './copy-in-stream.js'
import { CopyOutStream } from './copy-out-stream.js'
import type { CopyTable } from './copy-plan.js'
import type { CopySnapshot } from './copy-snapshot.js'
import { renderCopyIn, renderCopyOut } from './render-copy-sql.js'

/** A unit as the run copies it: its registered range, which wins over a re-computed plan. */
export interface RunnableUnit {
  readonly id: string
  readonly table: CopyTable
  readonly sourcePredicate: string | null
  readonly destinationPredicate: string | null
}

/** Everything one attempt at one unit needs. */
export interface CopyUnitAttempt {
  readonly source: pg.Client
  readonly destination: pg.Client
  readonly migration: string
  readonly runId: number
  readonly unit: RunnableUnit
  readonly snapshot: CopySnapshot
  /**
   * Remove what the destination holds in the unit's range first (conflicts: fail). A whole
   * table is truncated; a range is deleted only when an earlier attempt was started, since
   * ranges are registered together with a truncate of their table and a rolled-back attempt
   * leaves nothing — so the first attempt skips a full scan of an unindexed table.
   */
  readonly clear: boolean
  readonly previousAttempts: number
  readonly meter: Omit<CopyMeterOptions, 'format'>
}

/**
 * Copies one unit in one destination transaction: clear the unit's rows, COPY the source
 * rows (read under the shared snapshot) straight into the destination, mark the unit done,
 * commit. A failure anywhere leaves the destination as it was. On failure the sessions must
 * be discarded: they may be stuck in COPY mode. Resolves to null when another process
 * finished the unit meanwhile.
 */
export async function copyUnit(attempt: CopyUnitAttempt): Promise<{ rows: number; bytes: number } | null> {
  const { source, destination, unit, snapshot } = attempt
  const table = unit.table
  const into = quoteQualifiedName(table.destination.schema, table.destination.name)
  await destination.query('BEGIN')
  if ((await lockCopyUnit(destination, attempt.migration, unit.id)) === 'done') {
    await destination.query('ROLLBACK')
    return null
  }
  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
  await source.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot.name)}`)
  const whole = unit.sourcePredicate === null
  if (attempt.clear && whole) {
    // inside the transaction: the old rows come back if the copy fails
    await destination.query(`TRUNCATE ONLY ${into}`)
  } else if (attempt.clear && attempt.previousAttempts > 0 && unit.destinationPredicate !== null) {
    await destination.query(`DELETE FROM ONLY ${into} WHERE ${unit.destinationPredicate}`)
  }
  const meter = new CopyMeter({ ...attempt.meter, format: table.format })
  const reader = source.query(new CopyOutStream(renderCopyOut(table, unit.sourcePredicate)))
  const writer = destination.query(new CopyInStream(renderCopyIn(table, { freeze: attempt.clear && whole })))
  await pipeline(reader, meter, writer)
  const rows = writer.rowCount
  await markCopyUnitDone(destination, attempt.migration, unit.id, {
    rows,
    bytes: meter.bytes,
    format: table.format,
    snapshotName: snapshot.name,
    snapshotLsn: snapshot.lsn,
    runId: attempt.runId,
  })
  await destination.query('COMMIT')
  await source.query('COMMIT')
  return { rows, bytes: meter.bytes }
}
