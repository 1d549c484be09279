import { quoteLiteral } from '@pgshift/schema-diff'

/** A key value as text, one entry per key column. */
export type KeyTuple = readonly string[]

/**
 * A half-open range of keys, `lower <= key < upper`; a missing bound is open, so the first
 * and last ranges of a table also hold rows outside the bounds seen when planning (rows the
 * destination has and the source has not, rows inserted since).
 */
export interface KeyRange {
  readonly lower: KeyTuple | null
  readonly upper: KeyTuple | null
}

/** Every key: the whole table. */
export const WHOLE_TABLE: KeyRange = { lower: null, upper: null }

/**
 * The SQL condition of a range over the given (quoted) key columns, or null for the whole
 * table. Bounds are untyped literals, so each side reads them as its own column type, and a
 * multi-column key compares as a row, which a btree index on the key serves.
 */
export function rangePredicate(keyColumns: readonly string[], range: KeyRange): string | null {
  const key = keyColumns.length === 1 ? (keyColumns[0] ?? '') : `(${keyColumns.join(', ')})`
  const value = (tuple: KeyTuple) => {
    const literals = tuple.map(quoteLiteral)
    return literals.length === 1 ? (literals[0] ?? '') : `(${literals.join(', ')})`
  }
  const parts = [
    range.lower === null ? null : `${key} >= ${value(range.lower)}`,
    range.upper === null ? null : `${key} < ${value(range.upper)}`,
  ].filter((part): part is string => part !== null)
  return parts.length === 0 ? null : parts.join(' AND ')
}

/**
 * Cuts a range at sorted boundaries (each inside the range): n boundaries give n + 1 ranges
 * that together cover exactly the original one. Duplicate boundaries are dropped.
 */
export function splitRange(range: KeyRange, boundaries: readonly KeyTuple[]): KeyRange[] {
  const cuts: KeyTuple[] = []
  for (const boundary of boundaries) {
    const previous = cuts[cuts.length - 1] ?? range.lower
    if (previous !== null && sameTuple(previous, boundary)) continue
    if (range.upper !== null && sameTuple(range.upper, boundary)) continue
    cuts.push(boundary)
  }
  return [range.lower, ...cuts].map((lower, index) => ({ lower, upper: cuts[index] ?? range.upper }))
}

/**
 * Splits the integers from `min` to `max` into `count` ranges of equal width, the first
 * open below and the last open above. Pure.
 */
export function splitIntegerSpan(min: bigint, max: bigint, count: number): KeyRange[] {
  const span = max - min + 1n
  const parts = span < BigInt(count) ? Number(span) : count
  if (parts < 2) return [WHOLE_TABLE]
  const boundaries = Array.from({ length: parts - 1 }, (_, i) => [
    (min + (span * BigInt(i + 1)) / BigInt(parts)).toString(),
  ])
  return splitRange(WHOLE_TABLE, boundaries)
}

/** `count` - 1 boundaries at even positions of a sorted sample of keys. Pure. */
export function sampleBoundaries(sample: readonly KeyTuple[], count: number): KeyTuple[] {
  if (count < 2 || sample.length === 0) return []
  return Array.from({ length: count - 1 }, (_, i) => sample[Math.floor((sample.length * (i + 1)) / count)])
    .filter((tuple): tuple is KeyTuple => tuple !== undefined)
}

/** Orders key tuples the way the report lists them: integers by value, other text by code unit. */
export function compareKeyTuples(a: KeyTuple, b: KeyTuple): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? ''
    const y = b[i] ?? ''
    if (x === y) continue
    if (INTEGER.test(x) && INTEGER.test(y)) return BigInt(x) < BigInt(y) ? -1 : 1
    return x < y ? -1 : 1
  }
  return 0
}

const INTEGER = /^-?\d+$/

function sameTuple(a: KeyTuple, b: KeyTuple): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index])
}
