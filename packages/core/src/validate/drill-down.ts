import { compareRange } from './compare-range.js'
import type { ComparedRange, TableComparison } from './compare-range.js'
import { diffRowHashes, DifferingRows } from './diff-row-hashes.js'
import type { DifferingRow } from './diff-row-hashes.js'
import type { KeyTuple } from './key-range.js'
import { splitRange } from './key-range.js'
import { quantileKeysSql, rowHashesSql } from './range-sql.js'
import { readBothSides } from './read-both-sides.js'

/** How the drill-down narrows a differing range. */
export interface DrillLimits {
  /** Stop once this many differing rows are known. */
  readonly maxKeys: number
  /** A range of at most this many rows (on either side) is read row by row. */
  readonly leafRows: number
  /** Pieces a larger range is cut into at each step. */
  readonly fanout: number
  /** Differing ranges narrowed down at once. */
  readonly parallel: number
}

/** The differing rows found, in key order within each range and ranges in key order. */
export interface DrillResult {
  readonly rows: ReturnType<DifferingRows['list']>
  /** More rows differ than `rows` lists (or may, where the drill-down stopped early). */
  readonly more: boolean
}

// a range that keeps differing after this many cuts is read row by row whatever its size
const MAX_DEPTH = 12

/**
 * Narrows the differing ranges of a table down to the rows that differ: a range with more than
 * `leafRows` rows is cut at every (rows / fanout)-th key of its fuller side into pieces, which
 * are compared again in SQL; only differing pieces are followed, and a small enough piece has
 * its rows' keys and hashes read from both sides and compared. Ranges are taken in key order,
 * `parallel` at a time, and the search stops once `maxKeys` rows are known.
 */
export async function drillDown(
  comparison: TableComparison,
  differing: readonly ComparedRange[],
  limits: DrillLimits,
): Promise<DrillResult> {
  const found = new DifferingRows()
  let more = false
  for (let first = 0; first < differing.length; first += limits.parallel) {
    if (found.list().length >= limits.maxKeys) {
      more = true
      break
    }
    // each range of a batch is followed on its own, so the first maxKeys in key order are
    // complete whichever range finishes first
    const batch = await Promise.all(
      differing.slice(first, first + limits.parallel).map((range) => followRange(comparison, range, limits)),
    )
    for (const branch of batch) {
      found.add(branch.rows)
      more ||= branch.more
    }
  }
  const rows = found.list()
  return { rows: rows.slice(0, limits.maxKeys), more: more || rows.length > limits.maxKeys }
}

async function followRange(
  comparison: TableComparison,
  start: ComparedRange,
  limits: DrillLimits,
): Promise<{ rows: DifferingRow[]; more: boolean }> {
  const rows: DifferingRow[] = []
  const enough = () => rows.length >= limits.maxKeys
  let more = false
  const follow = async (compared: ComparedRange, depth: number): Promise<void> => {
    const largest = compared.source.rows > compared.destination.rows ? compared.source.rows : compared.destination.rows
    if (largest <= BigInt(limits.leafRows) || depth >= MAX_DEPTH) {
      rows.push(...(await readLeaf(comparison, compared)))
      return
    }
    for (const piece of await cut(comparison, compared, largest, limits.fanout)) {
      const next = await compareRange(comparison, piece)
      if (next.equal) continue
      if (enough()) {
        more = true
        return
      }
      await follow(next, depth + 1)
    }
  }
  await follow(start, 0)
  return { rows, more }
}

async function readLeaf(comparison: TableComparison, compared: ComparedRange) {
  const { sides, hash, table } = comparison
  const rows = await readBothSides(
    comparison.databases,
    { source: rowHashesSql(sides.source, compared.range, hash), destination: rowHashesSql(sides.destination, compared.range, hash) },
    comparison,
    { tableId: table.tableId, range: compared.range },
  )
  return diffRowHashes(rows.source, rows.destination, sides.source.keyColumns.length)
}

async function cut(comparison: TableComparison, compared: ComparedRange, largest: bigint, fanout: number) {
  const fuller = compared.source.rows >= compared.destination.rows ? 'source' : 'destination'
  const step = (largest + BigInt(fanout) - 1n) / BigInt(fanout)
  const { rows } = await comparison.databases[fuller].pool.query<string[]>({
    text: quantileKeysSql(comparison.sides[fuller], compared.range, Number(step)),
    rowMode: 'array',
  })
  return splitRange(compared.range, rows as KeyTuple[])
}
