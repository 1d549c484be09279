import { quoteIdentifier, quoteLiteral, quoteQualifiedName } from '@pgshift/schema-diff'
import type pg from 'pg'

/** The source schema holding pgshift's helper tables (never selected: introspection skips it). */
export const SOURCE_SCHEMA = 'pgshift'

/**
 * The heartbeat table on the source: one row per migration, updated every few seconds by the
 * apply process. It is published with the migration's tables, so its rows cross the stream
 * like any change: the time a heartbeat takes to reach the destination is the lag, and quiet
 * tables still move the applied position.
 */
export const HEARTBEAT_TABLE = { schema: SOURCE_SCHEMA, name: 'heartbeat' } as const

/** Creates the source's pgshift schema and heartbeat table (idempotent). */
export async function ensureHeartbeatTable(source: pg.ClientBase | pg.Pool, migration: string): Promise<void> {
  const table = quoteQualifiedName(HEARTBEAT_TABLE.schema, HEARTBEAT_TABLE.name)
  await source.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(SOURCE_SCHEMA)}`)
  await source.query(
    `CREATE TABLE IF NOT EXISTS ${table} (
       migration text PRIMARY KEY,
       beat bigint NOT NULL,
       beat_at timestamptz NOT NULL
     )`,
  )
  await source.query(
    `INSERT INTO ${table} (migration, beat, beat_at) VALUES ($1, 0, clock_timestamp()) ON CONFLICT (migration) DO NOTHING`,
    [migration],
  )
}

/**
 * Removes the migration's heartbeat row, and the table and schema once no migration uses
 * them. Idempotent (cutover and abort re-run it).
 */
export async function dropHeartbeat(source: pg.ClientBase | pg.Pool, migration: string): Promise<void> {
  const table = quoteQualifiedName(HEARTBEAT_TABLE.schema, HEARTBEAT_TABLE.name)
  const { rows } = await source.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [table])
  if (rows[0]?.exists === true) {
    await source.query(`DELETE FROM ${table} WHERE migration = $1`, [migration])
    await source.query(
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT FROM ${table}) THEN DROP TABLE ${table}; END IF;
       END $$`,
    )
  }
  await source.query(
    `DO $$ BEGIN
       IF EXISTS (SELECT FROM pg_catalog.pg_namespace n WHERE n.nspname = ${quoteLiteral(SOURCE_SCHEMA)})
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = ${quoteLiteral(SOURCE_SCHEMA)})
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = ${quoteLiteral(SOURCE_SCHEMA)})
       THEN DROP SCHEMA ${quoteIdentifier(SOURCE_SCHEMA)}; END IF;
     END $$`,
  )
}

/** Writes the next heartbeat; returns its number. */
export async function beat(source: pg.ClientBase | pg.Pool, migration: string): Promise<number> {
  const { rows } = await source.query<{ beat: string }>(
    `UPDATE ${quoteQualifiedName(HEARTBEAT_TABLE.schema, HEARTBEAT_TABLE.name)}
        SET beat = beat + 1, beat_at = clock_timestamp() WHERE migration = $1 RETURNING beat`,
    [migration],
  )
  return Number(rows[0]?.beat ?? 0)
}
