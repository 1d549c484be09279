import { quoteIdentifier } from '@pgshift/schema-diff'
import type pg from 'pg'
import { CAPTURE_BYPASS_SETTING, captureNames } from './capture-names.js'

/**
 * Removes a migration's DDL capture from the source: its event triggers, its function and its
 * registry row; pgshift.ddl_log and the registry go with the last migration using them (and
 * leave its publication with them), the schema `pgshift` when nothing else is left in it.
 * Idempotent; for cutover and abort.
 */
export async function removeDdlCapture(source: pg.ClientBase, migration: string): Promise<void> {
  const names = captureNames(migration)
  await source.query('BEGIN')
  try {
    await source.query(`SET LOCAL ${CAPTURE_BYPASS_SETTING} = 'on'`)
    await source.query("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pgshift.ddl_capture'))")
    for (const trigger of names.triggers) {
      await source.query(`DROP EVENT TRIGGER IF EXISTS ${quoteIdentifier(trigger.name)}`)
    }
    await source.query(`DROP FUNCTION IF EXISTS ${names.function}()`)
    const registry = await source.query<{ present: string | null }>("SELECT pg_catalog.to_regclass('pgshift.ddl_capture')::text AS present")
    let remaining = 0
    if (registry.rows[0]?.present != null) {
      await source.query('DELETE FROM pgshift.ddl_capture WHERE migration = $1', [migration])
      const left = await source.query<{ count: string }>('SELECT count(*) AS count FROM pgshift.ddl_capture')
      remaining = Number(left.rows[0]?.count ?? 0)
    }
    if (remaining === 0) {
      await source.query('DROP TABLE IF EXISTS pgshift.ddl_log, pgshift.ddl_capture')
      // the schema may hold other pgshift objects (heartbeat): dropped only when empty
      const empty = await source.query(
        `SELECT FROM pg_catalog.pg_namespace n WHERE n.nspname = 'pgshift'
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                            WHERE d.refclassid = 'pg_catalog.pg_namespace'::regclass AND d.refobjid = n.oid)`,
      )
      if (empty.rows.length > 0) await source.query('DROP SCHEMA pgshift')
    }
    await source.query('COMMIT')
  } catch (error) {
    await source.query('ROLLBACK')
    throw new Error(`removing DDL capture of migration ${migration}: ${(error as Error).message}`, { cause: error })
  }
}
