import { quoteIdentifier, quoteQualifiedName } from '@pgshift/schema-diff'
import type pg from 'pg'
import type { ReplicaIdentityChange } from '../state/index.js'

/** What a source table's replica identity is now. */
export async function readReplicaIdentities(
  source: pg.ClientBase | pg.Pool,
  tables: readonly { readonly schema: string; readonly name: string }[],
): Promise<ReplicaIdentityChange[]> {
  if (tables.length === 0) return []
  const { rows } = await source.query<{ schema: string; name: string; identity: 'd' | 'n' | 'f' | 'i'; index_name: string | null }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relreplident AS identity,
            ci.relname AS index_name
       FROM jsonb_to_recordset($1::jsonb) AS t(schema text, name text)
       JOIN pg_catalog.pg_namespace n ON n.nspname = t.schema
       JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.name
       LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisreplident
       LEFT JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid`,
    [JSON.stringify(tables)],
  )
  return rows.map((row) => ({
    table: quoteQualifiedName(row.schema, row.name),
    previous: row.identity,
    previousIndex: row.identity === 'i' ? row.index_name : null,
  }))
}

/** Sets REPLICA IDENTITY FULL on tables that do not have it yet. */
export async function setReplicaIdentityFull(source: pg.ClientBase | pg.Pool, changes: readonly ReplicaIdentityChange[]): Promise<void> {
  for (const change of changes.filter((candidate) => candidate.previous !== 'f')) {
    await source.query(`ALTER TABLE ${change.table} REPLICA IDENTITY FULL`)
  }
}

/** Puts back what {@link setReplicaIdentityFull} changed (cutover, abort). */
export async function restoreReplicaIdentities(
  source: pg.ClientBase | pg.Pool,
  changes: readonly ReplicaIdentityChange[],
): Promise<void> {
  for (const change of changes) {
    const { rows } = await source.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [change.table])
    if (rows[0]?.exists !== true) continue
    const identity =
      change.previous === 'd'
        ? 'DEFAULT'
        : change.previous === 'n'
          ? 'NOTHING'
          : change.previous === 'f'
            ? 'FULL'
            : change.previousIndex !== null
              ? `USING INDEX ${quoteIdentifier(change.previousIndex)}`
              : 'DEFAULT'
    await source.query(`ALTER TABLE ${change.table} REPLICA IDENTITY ${identity}`)
  }
}
