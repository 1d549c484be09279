import { quoteIdentifier } from '@pgshift/schema-diff'
import type pg from 'pg'
import { captureFunctionSql } from './capture-function-sql.js'
import { CAPTURE_BYPASS_SETTING, captureNames } from './capture-names.js'
import type { DdlScope } from './ddl-scope.js'

/** Raised when the source cannot take the DDL capture (its role is not a superuser). */
export class DdlCaptureError extends Error {
  override readonly name = 'DdlCaptureError'
}

/** What {@link installDdlCapture} needs. */
export interface InstallDdlCaptureOptions {
  /** The migration's name (`metadata.name`): names the triggers and tags the captured rows. */
  readonly migration: string
  /** The migration's publication, which must exist: pgshift.ddl_log joins it. */
  readonly publication: string
  /** Decides which tables created later join the publication (whole-schema selections). */
  readonly scope: DdlScope
}

/**
 * Installs the capture of DDL on the source: schema `pgshift`, table `pgshift.ddl_log` (added to
 * the publication), the registry `pgshift.ddl_capture`, and event triggers on ddl_command_end,
 * sql_drop and table_rewrite calling one plpgsql function per migration. Idempotent: a re-run
 * replaces the function and the rules for new tables. Event triggers need a superuser on
 * PostgreSQL 15; the triggers are ENABLE ALWAYS so that sessions running with
 * session_replication_role = replica (restores, other replication tools) are captured too.
 *
 * Install it after {@link createPublication} has set the publication's tables: createPublication
 * sets the table list and would take pgshift.ddl_log out of it again.
 */
export async function installDdlCapture(source: pg.ClientBase, options: InstallDdlCaptureOptions): Promise<void> {
  const { migration, publication, scope } = options
  const role = await source.query<{ name: string; is_superuser: boolean }>(
    'SELECT current_user AS name, rolsuper AS is_superuser FROM pg_catalog.pg_roles WHERE rolname = current_user',
  )
  const current = role.rows[0]
  if (current === undefined || !current.is_superuser) {
    throw new DdlCaptureError(
      `installing DDL capture for migration ${migration}: the source role ${quoteIdentifier(current?.name ?? '?')} is not a superuser; ` +
        'PostgreSQL 15 lets only superusers create the event triggers that capture DDL (connect as a superuser, or set options.ddl: false)',
    )
  }
  const names = captureNames(migration)
  await source.query('BEGIN')
  try {
    await source.query(`SET LOCAL ${CAPTURE_BYPASS_SETTING} = 'on'`)
    // concurrent installs for two migrations would race on CREATE ... IF NOT EXISTS
    await source.query("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pgshift.ddl_capture'))")
    const exists = await source.query('SELECT FROM pg_catalog.pg_publication WHERE pubname = $1', [publication])
    if (exists.rows.length === 0) {
      throw new DdlCaptureError(`installing DDL capture for migration ${migration}: publication ${quoteIdentifier(publication)} does not exist`)
    }
    await source.query(`CREATE SCHEMA IF NOT EXISTS pgshift`)
    await source.query(`CREATE TABLE IF NOT EXISTS pgshift.ddl_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      migration text NOT NULL,
      event text NOT NULL,
      command_tag text NOT NULL,
      object_type text,
      object_identity text,
      schema_name text,
      statement text NOT NULL,
      statement_ordinal integer NOT NULL,
      search_path text,
      search_path_schemas jsonb,
      commands jsonb NOT NULL,
      capture_error text,
      transaction_id xid8,
      captured_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
    )`)
    await source.query(`CREATE TABLE IF NOT EXISTS pgshift.ddl_capture (
      migration text PRIMARY KEY,
      publication text NOT NULL,
      new_tables jsonb NOT NULL,
      installed_at timestamptz NOT NULL DEFAULT pg_catalog.now()
    )`)
    await source.query(
      `INSERT INTO pgshift.ddl_capture (migration, publication, new_tables) VALUES ($1, $2, $3)
       ON CONFLICT (migration) DO UPDATE SET publication = EXCLUDED.publication, new_tables = EXCLUDED.new_tables`,
      [migration, publication, JSON.stringify(scope.newTableRules())],
    )
    await source.query(captureFunctionSql(migration, publication))
    const triggers = await source.query<{ name: string }>(
      'SELECT evtname AS name FROM pg_catalog.pg_event_trigger WHERE evtname = ANY ($1)',
      [names.triggers.map((trigger) => trigger.name)],
    )
    const present = new Set(triggers.rows.map((row) => row.name))
    for (const trigger of names.triggers) {
      const name = quoteIdentifier(trigger.name)
      if (!present.has(trigger.name)) {
        await source.query(`CREATE EVENT TRIGGER ${name} ON ${trigger.event} EXECUTE FUNCTION ${names.function}()`)
      }
      await source.query(`ALTER EVENT TRIGGER ${name} ENABLE ALWAYS`)
    }
    const member = await source.query(
      "SELECT FROM pg_catalog.pg_publication_tables WHERE pubname = $1 AND schemaname = 'pgshift' AND tablename = 'ddl_log'",
      [publication],
    )
    if (member.rows.length === 0) {
      await source.query(`ALTER PUBLICATION ${quoteIdentifier(publication)} ADD TABLE pgshift.ddl_log`)
    }
    await source.query('COMMIT')
  } catch (error) {
    await source.query('ROLLBACK')
    if (error instanceof DdlCaptureError) throw error
    throw new Error(`installing DDL capture for migration ${migration}: ${(error as Error).message}`, { cause: error })
  }
}
