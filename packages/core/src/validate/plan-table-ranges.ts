import type { Database } from '../pg/index.js'
import type { KeyRange, KeyTuple } from './key-range.js'
import { sampleBoundaries, splitIntegerSpan, splitRange, WHOLE_TABLE } from './key-range.js'
import { countSql, keyBoundsSql, quantileKeysSql, sampleKeysSql } from './range-sql.js'
import type { TableSide, ValidationTable } from './validation-table.js'

/** How finely {@link planTableRanges} cuts a table. */
export interface RangeSizing {
  /** Rows per range the cut aims at; tables this small are compared whole. */
  readonly rowsPerRange: number
  /** The most ranges one table is cut into. */
  readonly maxRanges: number
}

// sampled keys per wanted range: enough that ranges come out within a few percent of even
const SAMPLES_PER_RANGE = 20

/**
 * The key ranges a table is first compared in, from the source: a table without a key, or of
 * at most `rowsPerRange` rows, is one range; a single integer key is cut into equal spans
 * between its lowest and highest value; any other key at even positions of a page sample
 * (TABLESAMPLE SYSTEM), or at its exact quantiles when the sample comes out too thin. The first range is open below and the last open above, so together the
 * ranges cover every key either side holds.
 */
export async function planTableRanges(
  source: Database,
  table: ValidationTable,
  side: TableSide,
  sizing: RangeSizing,
): Promise<KeyRange[]> {
  // no query at all for the many small tables of a schema
  if (table.key === null || (table.estimatedRows !== null && table.estimatedRows <= sizing.rowsPerRange)) {
    return [WHOLE_TABLE]
  }
  const wanted = (rows: number) => Math.min(sizing.maxRanges, Math.ceil(rows / sizing.rowsPerRange))
  if (table.key.integer) {
    const { rows } = await source.pool.query<{ min: string | null; max: string | null }>(keyBoundsSql(side))
    const bounds = rows[0]
    if (bounds?.min == null || bounds.max == null) return [WHOLE_TABLE]
    const [min, max] = [BigInt(bounds.min), BigInt(bounds.max)]
    // a sparse key spans more values than rows: the row estimate, when known, decides
    const span = Number(max - min + 1n)
    return splitIntegerSpan(min, max, wanted(Math.min(span, table.estimatedRows ?? span)))
  }
  const rows = table.estimatedRows ?? (await countRows(source, side))
  const count = wanted(rows)
  if (count < 2) return [WHOLE_TABLE]
  const percent = Math.min(100, (100 * count * SAMPLES_PER_RANGE) / rows)
  const sample = await source.pool.query<string[]>({
    text: sampleKeysSql(side, Number(percent.toPrecision(6))),
    rowMode: 'array',
  })
  if (sample.rows.length >= count * 2) {
    return splitRange(WHOLE_TABLE, sampleBoundaries(sample.rows as KeyTuple[], count))
  }
  // a table of few pages gives a thin sample: its exact quantiles are cheap enough
  const exact = await source.pool.query<string[]>({
    text: quantileKeysSql(side, WHOLE_TABLE, Math.ceil(rows / count)),
    rowMode: 'array',
  })
  return splitRange(WHOLE_TABLE, exact.rows as KeyTuple[])
}

async function countRows(source: Database, side: TableSide): Promise<number> {
  const { rows } = await source.pool.query<{ rows: string }>(countSql(side))
  return Number(rows[0]?.rows ?? 0)
}
