import { PGSHIFT_STATE_SCHEMA } from '@pgshift/schema-diff'
import type pg from 'pg'

/**
 * Records objects the migration is about to create on the destination. Recorded before the DDL
 * runs: a process killed between the DDL's commit and a later record would otherwise leave
 * its own tables looking like someone else's, and `conflicts: fail` would refuse the re-run.
 */
export async function recordOwnedObjects(
  client: pg.ClientBase,
  migration: string,
  objectIds: readonly string[],
): Promise<void> {
  if (objectIds.length === 0) return
  await client.query(
    `INSERT INTO ${PGSHIFT_STATE_SCHEMA}.owned_objects (migration, object_id)
     SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
    [migration, [...objectIds]],
  )
}

/**
 * The destination objects earlier runs of the migration created (ids as the destination names
 * them); empty when the state schema does not exist yet.
 */
export async function readOwnedObjects(client: pg.ClientBase | pg.Pool, migration: string): Promise<Set<string>> {
  const { rows } = await client.query<{ object_id: string }>(
    `SELECT object_id FROM ${PGSHIFT_STATE_SCHEMA}.owned_objects
     WHERE migration = $1`,
    [migration],
  ).catch((error: { code?: string }) => {
    // 42P01: no state schema yet, so nothing is owned
    if (error.code === '42P01') return { rows: [] }
    throw error
  })
  return new Set(rows.map((row) => row.object_id))
}
