import { PGSHIFT_STATE_SCHEMA } from '@pgshift/schema-diff'
import type pg from 'pg'

/** The version of the `pgshift` state schema this code reads and writes. */
export const STATE_SCHEMA_VERSION = 3

/**
 * The state schema's migrations: entry `n` takes version `n` to `n + 1`. Append, never edit a
 * released entry: destinations in the field hold the tables as an earlier entry left them.
 */
const STATE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ${PGSHIFT_STATE_SCHEMA}.runs (
    run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    migration text NOT NULL,
    phase text NOT NULL,
    status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    snapshot_name text,
    snapshot_lsn pg_lsn,
    slot_name text,
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    error text
  );
  CREATE INDEX runs_migration ON ${PGSHIFT_STATE_SCHEMA}.runs (migration, run_id);
  CREATE TABLE ${PGSHIFT_STATE_SCHEMA}.copy_units (
    migration text NOT NULL,
    unit_id text NOT NULL,
    table_id text NOT NULL,
    destination_table text NOT NULL,
    range_predicate text,
    destination_predicate text,
    status text NOT NULL CHECK (status IN ('pending', 'done')),
    attempts integer NOT NULL DEFAULT 0,
    rows bigint,
    bytes bigint,
    format text,
    snapshot_name text,
    snapshot_lsn pg_lsn,
    run_id bigint,
    registered_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    PRIMARY KEY (migration, unit_id)
  );
  `,
  `
  CREATE TABLE ${PGSHIFT_STATE_SCHEMA}.owned_objects (
    migration text NOT NULL,
    object_id text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (migration, object_id)
  );
  CREATE TABLE ${PGSHIFT_STATE_SCHEMA}.phases (
    migration text NOT NULL,
    phase text NOT NULL,
    status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    detail jsonb NOT NULL DEFAULT '{}',
    error text,
    PRIMARY KEY (migration, phase)
  );
  ALTER TABLE ${PGSHIFT_STATE_SCHEMA}.copy_units
    ADD COLUMN estimated_rows bigint,
    ADD COLUMN estimated_bytes bigint,
    ADD COLUMN started_at timestamptz,
    ADD COLUMN progress_rows bigint,
    ADD COLUMN progress_bytes bigint,
    ADD COLUMN progress_at timestamptz,
    ADD COLUMN last_error text;
  `,
  `
  CREATE TABLE ${PGSHIFT_STATE_SCHEMA}.replication (
    migration text PRIMARY KEY,
    slot_name text NOT NULL,
    publication text NOT NULL,
    status text NOT NULL CHECK (status IN ('setup', 'following', 'stopped', 'cut-over', 'aborted')),
    applied_lsn pg_lsn NOT NULL DEFAULT '0/0',
    applied_commit_time timestamptz,
    applied_at timestamptz,
    received_lsn pg_lsn,
    source_lsn pg_lsn,
    lag_bytes bigint,
    lag_seconds double precision,
    transactions bigint NOT NULL DEFAULT 0,
    changes bigint NOT NULL DEFAULT 0,
    retries integer NOT NULL DEFAULT 0,
    last_error text,
    stop_requested_at timestamptz,
    stop_reason text,
    replica_identity_changes jsonb NOT NULL DEFAULT '[]',
    ddl_scope jsonb,
    hold_token text,
    hold_lsn pg_lsn,
    hold_until timestamptz,
    held_token text,
    held_lsn pg_lsn,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
  );
  CREATE TABLE ${PGSHIFT_STATE_SCHEMA}.replication_tables (
    migration text NOT NULL,
    table_id text NOT NULL,
    inserts bigint NOT NULL DEFAULT 0,
    updates bigint NOT NULL DEFAULT 0,
    deletes bigint NOT NULL DEFAULT 0,
    truncates bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (migration, table_id)
  );
  CREATE TABLE ${PGSHIFT_STATE_SCHEMA}.cutover_steps (
    migration text NOT NULL,
    step text NOT NULL,
    done_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    detail jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (migration, step)
  );
  `,
]

/**
 * Creates or upgrades the destination's `pgshift` schema (runs, copy units, owned objects,
 * phases, the version row).
 * Idempotent and safe to race: concurrent callers serialise on a transaction-level advisory
 * lock, so two processes starting at once do not both try to create the tables.
 * Refuses a schema written by a newer pgshift rather than guessing at its layout.
 */
export async function ensureStateSchema(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN')
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('pgshift state schema'))`)
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${PGSHIFT_STATE_SCHEMA}`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${PGSHIFT_STATE_SCHEMA}.schema_version (
        version integer NOT NULL,
        installed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`,
    )
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${PGSHIFT_STATE_SCHEMA}.schema_version`,
    )
    const current = rows[0]?.version ?? 0
    if (current > STATE_SCHEMA_VERSION) {
      throw new Error(
        `the destination's ${PGSHIFT_STATE_SCHEMA} schema is at version ${current}, newer than ` +
          `this pgshift understands (${STATE_SCHEMA_VERSION}); upgrade pgshift`,
      )
    }
    for (let version = current; version < STATE_SCHEMA_VERSION; version++) {
      await client.query(STATE_MIGRATIONS[version] ?? '')
      await client.query(`INSERT INTO ${PGSHIFT_STATE_SCHEMA}.schema_version (version) VALUES ($1)`, [
        version + 1,
      ])
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  }
}
