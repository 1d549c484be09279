import type { Database } from '../pg/index.js'
import type { KeyRange } from './key-range.js'
import type { RangeConsistency } from './range-consistency.js'

/** A row of text columns, as every validation query returns them. */
export type TextRow = readonly (string | null)[]

/** The two databases compared. */
export interface DatabasePair {
  readonly source: Database
  readonly destination: Database
}

/**
 * Runs one statement on each side over the same range and returns both sides' rows. Without
 * `consistency` both run at once; with it, the source runs first in a repeatable-read snapshot
 * whose WAL position is read at the same moment, and the destination runs once the apply loop
 * has passed that position (see {@link RangeConsistency}).
 */
export async function readBothSides(
  databases: DatabasePair,
  statements: { readonly source: string; readonly destination: string },
  consistency: RangeConsistency | undefined,
  at: { readonly tableId: string; readonly range: KeyRange },
): Promise<{ readonly source: TextRow[]; readonly destination: TextRow[] }> {
  const query = async (db: Database, text: string) =>
    (await db.pool.query<string[]>({ text, rowMode: 'array' })).rows as TextRow[]
  if (consistency === undefined) {
    const [source, destination] = await Promise.all([
      query(databases.source, statements.source),
      query(databases.destination, statements.destination),
    ])
    return { source, destination }
  }
  const { lsn, rows } = await readSourceAtLsn(databases.source, statements.source)
  await consistency.waitForApplied({ ...at, sourceLsn: lsn })
  return { source: rows, destination: await query(databases.destination, statements.destination) }
}

async function readSourceAtLsn(source: Database, text: string): Promise<{ lsn: string; rows: TextRow[] }> {
  const client = await source.pool.connect()
  let broken: Error | undefined
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    // the first statement takes the snapshot, so the position is read together with it
    const position = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
    const result = await client.query<string[]>({ text, rowMode: 'array' })
    await client.query('COMMIT')
    return { lsn: position.rows[0]?.lsn ?? '0/0', rows: result.rows as TextRow[] }
  } catch (error) {
    broken = error as Error
    throw error
  } finally {
    // a session that failed mid-transaction is not handed out again
    client.release(broken)
  }
}
