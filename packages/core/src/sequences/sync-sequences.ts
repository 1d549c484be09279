import type { Database } from '../pg/index.js'
import type { SequencePair } from './sequence-pairs.js'

/** A sequence's position: the value `nextval` last returned, and whether it was ever called. */
export interface SequencePosition {
  readonly lastValue: string
  readonly isCalled: boolean
}

/** What {@link syncSequences} set, per sequence. */
export interface SyncedSequence {
  readonly label: string
  readonly source: SequencePosition
  /** The statement run on the destination. */
  readonly statement: string
}

/**
 * Reads the source sequences' positions and sets the destination's to match, plus `gap`
 * (the cutover's safety margin for writes that land between the read and the switch). A
 * source sequence never called leaves the destination's never called too, so the first value
 * is the same on both sides. Each setval is its own statement: sequences are not transactional.
 */
export async function syncSequences(
  source: Database,
  destination: Database,
  pairs: readonly SequencePair[],
  options: { readonly gap?: bigint } = {},
): Promise<SyncedSequence[]> {
  const positions = await readSequencePositions(source, pairs.map((pair) => pair.source))
  const gap = options.gap ?? 0n
  const synced: SyncedSequence[] = []
  for (const [index, pair] of pairs.entries()) {
    const position = positions[index]
    if (position === undefined) continue
    const value = position.isCalled ? (BigInt(position.lastValue) + gap).toString() : position.lastValue
    const statement = `SELECT pg_catalog.setval(${pair.destination}, ${value}, ${position.isCalled})`
    await destination.pool.query(statement)
    synced.push({ label: pair.label, source: position, statement })
  }
  return synced
}

/** Positions of the sequences named by regclass expressions, in order, in one round trip. */
export async function readSequencePositions(
  db: Database,
  sequences: readonly string[],
): Promise<SequencePosition[]> {
  if (sequences.length === 0) return []
  // pg_sequence_last_value is NULL for a sequence never called; the start value then stands in
  const sql = sequences
    .map(
      (sequence, index) =>
        `SELECT ${index} AS ord, coalesce(pg_catalog.pg_sequence_last_value(${sequence}), s.seqstart)::text AS last_value,
                pg_catalog.pg_sequence_last_value(${sequence}) IS NOT NULL AS is_called
         FROM pg_catalog.pg_sequence s WHERE s.seqrelid = ${sequence}`,
    )
    .join('\nUNION ALL\n')
  const { rows } = await db.pool.query<{ ord: number; last_value: string; is_called: boolean }>(
    `${sql}\nORDER BY ord`,
  )
  const positions: SequencePosition[] = []
  for (const row of rows) positions[row.ord] = { lastValue: row.last_value, isCalled: row.is_called }
  return positions
}
