import assert from 'node:assert/strict'
import { test } from 'node:test'
import { installDdlCapture, removeDdlCapture } from '../../../packages/core/src/incremental/ddl/index.js'
import { createTestDatabase, withClient } from '../../support/test-databases.js'
import { capturedSince, createCaptureSource, MIGRATION, run, scopeOf } from './ddl-test-kit.js'

test('install is idempotent and puts ddl_log in the publication; each statement of a query string is recorded once, numbered', async (t) => {
  const scope = scopeOf({ tables: [{ schema: 'public', name: 'keep', isListed: false }], wholeSchemas: [{ schema: 'public' }] })
  const source = await createCaptureSource(t, 'CREATE TABLE public.keep (id int PRIMARY KEY)', scope)
  await withClient(source.url, (client) => installDdlCapture(client, { migration: MIGRATION, publication: source.publication, scope }))
  await run(
    source.url,
    `CREATE TABLE a (id int PRIMARY KEY); INSERT INTO a VALUES (1); ALTER TABLE a ADD b text;
     CREATE TEMP TABLE scratch (x int); CREATE TABLE IF NOT EXISTS a (id int); DROP TABLE IF EXISTS missing;
     ALTER TABLE a DROP COLUMN b; DROP TABLE a`,
  )
  const rows = await capturedSince(source.url)
  assert.deepEqual(
    rows.map((row) => [row.statementOrdinal, row.commandTag, row.event, row.objectIdentity]),
    [
      [1, 'CREATE TABLE', 'ddl_command_end', 'public.a'],
      [2, 'ALTER TABLE', 'ddl_command_end', 'public.a'],
      [6, 'ALTER TABLE', 'ddl_command_end', 'public.a'],
      [7, 'DROP TABLE', 'sql_drop', 'public.a'],
    ],
  )
  assert.equal(rows[0]?.migration, MIGRATION)
  assert.deepEqual(rows[0]?.searchPathSchemas, ['pg_catalog', 'public'])
  assert.equal(rows[0]?.commands.find((command) => command.objectType === 'table')?.table?.published, true)
  await withClient(source.url, async (client) => {
    const published = await client.query(
      "SELECT schemaname || '.' || tablename AS name FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1",
      [source.publication],
    )
    // the table a created and dropped was in it too, for as long as it lived
    assert.deepEqual(published.rows.map((row) => row.name), ['pgshift.ddl_log', 'public.keep'])
    const triggers = await client.query("SELECT evtname, evtenabled FROM pg_event_trigger WHERE evtname LIKE 'pgshift_ddl_%' ORDER BY 1")
    assert.deepEqual(triggers.rows.map((row) => `${row.evtname}:${row.evtenabled}`), [
      `pgshift_ddl_${MIGRATION}_drop:A`,
      `pgshift_ddl_${MIGRATION}_end:A`,
      `pgshift_ddl_${MIGRATION}_rewrite:A`,
    ])
  })
})

test('a new selected table joins the publication at once (REPLICA IDENTITY FULL without a key); an excluded one does not', async (t) => {
  const scope = scopeOf({ wholeSchemas: [{ schema: 'public', exclude: ['tmp_*'] }] })
  const source = await createCaptureSource(t, '', scope)
  await run(source.url, 'BEGIN; CREATE TABLE keyed (id int PRIMARY KEY); CREATE TABLE keyless (v text); CREATE TABLE tmp_x (v text); COMMIT')
  await withClient(source.url, async (client) => {
    const published = await client.query(
      "SELECT tablename FROM pg_publication_tables WHERE pubname = $1 AND schemaname = 'public' ORDER BY 1",
      [source.publication],
    )
    assert.deepEqual(published.rows.map((row) => row.tablename), ['keyed', 'keyless'])
    const identity = await client.query("SELECT relname, relreplident FROM pg_class WHERE relname IN ('keyed', 'keyless', 'tmp_x') ORDER BY 1")
    assert.deepEqual(identity.rows.map((row) => `${row.relname}:${row.relreplident}`), ['keyed:d', 'keyless:f', 'tmp_x:d'])
    // the user's UPDATE on the key-less table keeps working
    await client.query("INSERT INTO keyless VALUES ('a'); UPDATE keyless SET v = 'b'")
  })
  const rows = await capturedSince(source.url)
  const tables = rows.map((row) => row.commands.find((command) => command.objectType === 'table')?.table)
  assert.deepEqual(tables.map((table) => [table?.name, table?.published, table?.replicaIdentityFull]), [
    ['keyed', true, false],
    ['keyless', true, true],
    ['tmp_x', false, false],
  ])
})

test('remove drops triggers, function and tables (the last migration), is idempotent, and leaves DDL working', async (t) => {
  const scope = scopeOf({ tables: [{ schema: 'public', name: 'keep' }] })
  const source = await createCaptureSource(t, 'CREATE TABLE keep (id int PRIMARY KEY)', scope)
  await withClient(source.url, async (client) => {
    await client.query(`CREATE PUBLICATION other_pub FOR TABLE keep`)
    await installDdlCapture(client, { migration: 'other', publication: 'other_pub', scope })
    await removeDdlCapture(client, MIGRATION)
    const remaining = await client.query("SELECT evtname FROM pg_event_trigger ORDER BY 1")
    assert.deepEqual(remaining.rows.map((row) => row.evtname), ['pgshift_ddl_other_drop', 'pgshift_ddl_other_end', 'pgshift_ddl_other_rewrite'])
    assert.equal((await client.query("SELECT to_regclass('pgshift.ddl_log') IS NOT NULL AS present")).rows[0].present, true)
    await removeDdlCapture(client, 'other')
    await removeDdlCapture(client, 'other')
    const left = await client.query(
      `SELECT (SELECT count(*) FROM pg_event_trigger)::int AS triggers,
              (SELECT count(*) FROM pg_proc WHERE proname LIKE 'ddl_capture_%')::int AS functions,
              (SELECT count(*) FROM pg_namespace WHERE nspname = 'pgshift')::int AS schemas,
              (SELECT count(*) FROM pg_publication_tables WHERE schemaname = 'pgshift')::int AS published`,
    )
    assert.deepEqual(left.rows[0], { triggers: 0, functions: 0, schemas: 0, published: 0 })
    await client.query('ALTER TABLE keep ADD note text')
  })
})

test('install needs a superuser and says so', async (t) => {
  const db = await createTestDatabase(t, 'source')
  const role = `pgshift_plain_${db.name}`.slice(0, 60)
  await withClient(db.url, async (client) => {
    await client.query(`CREATE ROLE ${role} LOGIN; GRANT CREATE ON DATABASE ${db.name} TO ${role}; CREATE PUBLICATION p`)
  })
  // after hooks run in order: the database is gone by then, and with it the role's grant
  t.after(() => withClient(db.cluster.url, (client) => client.query(`DROP ROLE ${role}`).then(() => undefined)))
  const url = new URL(db.url)
  url.username = role
  await withClient(url.toString(), async (client) => {
    await assert.rejects(
      installDdlCapture(client, { migration: MIGRATION, publication: 'p', scope: scopeOf({}) }),
      /is not a superuser; PostgreSQL 15 lets only superusers create the event triggers/,
    )
  })
})

test('a failure to describe the statement is recorded with the statement, never lost; the DDL goes through', async (t) => {
  const scope = scopeOf({ tables: [{ schema: 'public', name: 'keep' }] })
  const source = await createCaptureSource(t, 'CREATE TABLE keep (id int PRIMARY KEY)', scope)
  // a broken registry makes describing fail inside the trigger
  await run(source.url, "SET pgshift.ddl_internal = 'on'; ALTER TABLE pgshift.ddl_capture ALTER COLUMN new_tables TYPE text")
  await run(source.url, "UPDATE pgshift.ddl_capture SET new_tables = 'not json'")
  await run(source.url, 'ALTER TABLE keep ADD note text')
  const rows = await capturedSince(source.url)
  assert.equal(rows.length, 1)
  assert.match(rows[0]?.captureError ?? '', /json/)
  assert.equal(rows[0]?.queryText, 'ALTER TABLE keep ADD note text')
  // and when not even that row can be written, the statement fails rather than pass unrecorded
  await run(source.url, "SET pgshift.ddl_internal = 'on'; ALTER TABLE pgshift.ddl_log ADD CHECK (capture_error IS NULL) NOT VALID")
  await assert.rejects(run(source.url, 'ALTER TABLE keep ADD other text'), /pgshift DDL capture of migration ddl-test could not record this statement/)
})
