import type pg from 'pg'
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

/** How the statements of {@link readBothSides} run. */
export interface ReadOptions {
  readonly consistency: RangeConsistency | undefined
  /**
   * Keep PostgreSQL's own parallel workers out. Set when a table's ranges already run in
   * parallel: measured here, ten range hashes took 2.7 s with parallel index scans and 1.7 s
   * without, the workers only adding start-up and contention.
   */
  readonly serial: boolean
}

// SET LOCAL in front, in the one query string: the string is one implicit transaction, so the
// setting ends with it, also when the statement fails
const SERIAL = 'SET LOCAL max_parallel_workers_per_gather = 0'

/**
 * Runs one statement on each side over the same range and returns both sides' rows. Without
 * a consistency gate both run at once; with one, the source runs first in a repeatable-read
 * snapshot whose WAL position is read at the same moment, and the destination runs once the
 * apply loop has passed that position (see {@link RangeConsistency}).
 */
export async function readBothSides(
  databases: DatabasePair,
  statements: { readonly source: string; readonly destination: string },
  options: ReadOptions,
  at: { readonly tableId: string; readonly range: KeyRange },
): Promise<{ readonly source: TextRow[]; readonly destination: TextRow[] }> {
  const { consistency, serial } = options
  const query = async (db: Database, text: string): Promise<TextRow[]> => {
    if (!serial) return (await db.pool.query<string[]>({ text, rowMode: 'array' })).rows as TextRow[]
    const results = (await db.pool.query({ text: `${SERIAL}; ${text}`, rowMode: 'array' })) as unknown as pg.QueryResult[]
    return (results[results.length - 1]?.rows ?? []) as TextRow[]
  }
  if (consistency === undefined) {
    const [source, destination] = await Promise.all([
      query(databases.source, statements.source),
      query(databases.destination, statements.destination),
    ])
    return { source, destination }
  }
  try {
    await consistency.prepare?.(at)
    const { lsn, rows } = await readSourceAtLsn(databases.source, statements.source, serial)
    await consistency.waitForApplied({ ...at, sourceLsn: lsn })
    return { source: rows, destination: await query(databases.destination, statements.destination) }
  } finally {
    await consistency.release?.(at)
  }
}

async function readSourceAtLsn(
  source: Database,
  text: string,
  serial: boolean,
): Promise<{ lsn: string; rows: TextRow[] }> {
  const client = await source.pool.connect()
  let broken: Error | undefined
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    // the first statement takes the snapshot, so the position is read together with it
    const position = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')
    if (serial) await client.query(SERIAL)
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
