import type { Database } from '../pg/index.js'
import { readSequencePositions } from '../sequences/index.js'
import type { SequencePair, SequencePosition } from '../sequences/index.js'
import type { SequenceStatus, SequenceValidation } from './validation-report.js'

/**
 * Reads every migrated sequence on both sides and says where the destination stands. After
 * cutover the destination must not hand out a value the source already did: at or past the
 * source's position is fine (equal, ahead), short of it is a difference (behind), and so is a
 * sequence the destination lacks (missing).
 */
export async function compareSequences(
  source: Database,
  destination: Database,
  pairs: readonly SequencePair[],
): Promise<SequenceValidation[]> {
  const [sourcePositions, increments, destinationPositions] = await Promise.all([
    readSequencePositions(source, pairs.map((pair) => pair.source)),
    readIncrements(source, pairs),
    readEachPosition(destination, pairs),
  ])
  return pairs.map((pair, index) => {
    const from = sourcePositions[index]
    const to = destinationPositions[index]
    if (from === undefined) throw new Error(`the source sequence ${pair.label} could not be read`)
    return {
      label: pair.label,
      sourceValue: from.lastValue,
      destinationValue: to?.lastValue ?? null,
      status: to === undefined ? 'missing' : sequenceStatus(from, to, increments[index] ?? 1n),
    }
  })
}

/** Where the destination's position stands against the source's, for a sequence stepping by `increment`. Pure. */
export function sequenceStatus(
  source: SequencePosition,
  destination: SequencePosition,
  increment: bigint,
): SequenceStatus {
  if (source.lastValue === destination.lastValue && source.isCalled === destination.isCalled) return 'equal'
  // a sequence never called has not handed out its value yet: one step before it
  const handedOut = (position: SequencePosition) =>
    position.isCalled ? BigInt(position.lastValue) : BigInt(position.lastValue) - increment
  const delta = handedOut(destination) - handedOut(source)
  const ahead = increment < 0n ? delta < 0n : delta > 0n
  return ahead ? 'ahead' : delta === 0n ? 'equal' : 'behind'
}

async function readIncrements(source: Database, pairs: readonly SequencePair[]): Promise<bigint[]> {
  if (pairs.length === 0) return []
  const sql = pairs
    .map((pair, index) => `SELECT ${index} AS ord, seqincrement::text AS increment FROM pg_catalog.pg_sequence WHERE seqrelid = ${pair.source}`)
    .join('\nUNION ALL\n')
  const { rows } = await source.pool.query<{ ord: number; increment: string }>(`${sql}\nORDER BY ord`)
  const increments: bigint[] = []
  for (const row of rows) increments[row.ord] = BigInt(row.increment)
  return increments
}

// one query for all; when one sequence is missing the whole query fails, and each is then read
// alone so the others are still compared
async function readEachPosition(
  destination: Database,
  pairs: readonly SequencePair[],
): Promise<(SequencePosition | undefined)[]> {
  try {
    return await readSequencePositions(destination, pairs.map((pair) => pair.destination))
  } catch (error) {
    if (!isMissingObject(error)) throw error
  }
  const positions: (SequencePosition | undefined)[] = []
  for (const pair of pairs) {
    try {
      positions.push((await readSequencePositions(destination, [pair.destination]))[0])
    } catch (error) {
      if (!isMissingObject(error)) throw error
      positions.push(undefined)
    }
  }
  return positions
}

function isMissingObject(error: unknown): boolean {
  // undefined_table (a regclass naming no relation), undefined_column (an identity column the
  // destination lacks), undefined_object
  const code = (error as { code?: string }).code
  return code === '42P01' || code === '42703' || code === '42704'
}
