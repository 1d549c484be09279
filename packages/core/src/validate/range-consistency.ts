import type { KeyRange } from './key-range.js'

/** The range about to be read on the destination. */
export interface RangePoint {
  readonly tableId: string
  readonly range: KeyRange
  /** pg_current_wal_insert_lsn() on the source (where the next record goes; the write position
   * trails it), read in the snapshot the source side was hashed in. */
  readonly sourceLsn: string
}

/**
 * Where validation meets incremental replication. Without it both sides of a range are read
 * at once, which is right when nothing writes. With it, the source side of each range is read
 * first, in a snapshot whose WAL position is taken at the same moment; the destination side is
 * read only once {@link waitForApplied} says the apply loop has committed everything up to that
 * position, so rows in flight do not show as differences. A source write that lands between
 * the two reads can still make a range differ, so a differing range is compared again, up to
 * {@link rechecks} times, before it counts.
 */
export interface RangeConsistency {
  /** Called before the source side is read (e.g. to pause the apply loop). */
  prepare?(at: Omit<RangePoint, 'sourceLsn'>): Promise<void>
  /** Resolves once the destination has applied the source's changes up to `point.sourceLsn`. */
  waitForApplied(point: RangePoint): Promise<void>
  /** Called once the destination side was read, also after a failure. */
  release?(at: Omit<RangePoint, 'sourceLsn'>): Promise<void>
  /** How often a differing range is compared again before it is reported; 2 by default. */
  readonly rechecks?: number
}
