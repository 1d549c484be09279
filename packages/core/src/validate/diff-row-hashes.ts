import type { KeyTuple } from './key-range.js'
import { compareKeyTuples } from './key-range.js'
import type { TextRow } from './read-both-sides.js'

/** A key whose row hash differs between the sides; null: the side has no such row. */
export interface DifferingRow {
  readonly key: KeyTuple
  readonly source: string | null
  readonly destination: string | null
}

/**
 * Compares the keyed row hashes of one range read on both sides (rows of `keyWidth` key
 * columns, then the hash) and returns the keys whose rows differ, in key order. Pure.
 */
export function diffRowHashes(
  source: readonly TextRow[],
  destination: readonly TextRow[],
  keyWidth: number,
): DifferingRow[] {
  const split = (row: TextRow) => ({
    key: row.slice(0, keyWidth).map((value) => value ?? ''),
    hash: row[keyWidth] ?? null,
  })
  const destinationByKey = new Map<string, { key: KeyTuple; hash: string | null }>()
  for (const row of destination) {
    const entry = split(row)
    destinationByKey.set(JSON.stringify(entry.key), entry)
  }
  const differing: DifferingRow[] = []
  for (const row of source) {
    const entry = split(row)
    const id = JSON.stringify(entry.key)
    const other = destinationByKey.get(id)
    destinationByKey.delete(id)
    if (other?.hash !== entry.hash) differing.push({ key: entry.key, source: entry.hash, destination: other?.hash ?? null })
  }
  for (const entry of destinationByKey.values()) differing.push({ key: entry.key, source: null, destination: entry.hash })
  return differing.sort((a, b) => compareKeyTuples(a.key, b.key))
}

/**
 * Differing rows gathered across ranges, merged by key: when the two sides sort a key into
 * different ranges (their collations order text keys differently), it is seen once as missing
 * and once as extra, and the halves meet here — equal hashes cancel out, unequal ones make a
 * changed row. Keeps the order keys were first seen in.
 */
export class DifferingRows {
  readonly #rows = new Map<string, DifferingRow>()

  add(rows: readonly DifferingRow[]): void {
    for (const row of rows) {
      const id = JSON.stringify(row.key)
      const seen = this.#rows.get(id)
      this.#rows.set(
        id,
        seen === undefined
          ? row
          : { key: row.key, source: seen.source ?? row.source, destination: seen.destination ?? row.destination },
      )
    }
  }

  /** The rows that still differ, classified. */
  list(): { readonly kind: 'missing' | 'extra' | 'changed'; readonly key: KeyTuple }[] {
    return [...this.#rows.values()]
      .filter((row) => row.source !== row.destination)
      .map((row) => ({
        kind: row.destination === null ? 'missing' : row.source === null ? 'extra' : 'changed',
        key: row.key,
      }))
  }
}
