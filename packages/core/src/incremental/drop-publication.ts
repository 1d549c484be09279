import { quoteIdentifier } from '@pgshift/schema-diff'
import type pg from 'pg'

/** Drops the publication if it exists (cutover and cleanup run it more than once). */
export async function dropPublication(db: pg.Pool | pg.ClientBase, name: string): Promise<void> {
  await db.query(`DROP PUBLICATION IF EXISTS ${quoteIdentifier(name)}`)
}
