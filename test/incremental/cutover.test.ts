import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runCli, writeSpec } from '../apply/apply-kit.js'
import type { ApplyPair } from '../apply/apply-kit.js'
import { assertSameData, createPair, loadSpec } from '../copy/copy-test-kit.js'
import type { CopyPair } from '../copy/copy-test-kit.js'
import { withClient } from '../support/test-databases.js'
import { startFollower, waitFollowing } from './follow-kit.js'

const SETUP = `
  CREATE TABLE public.tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL);
  CREATE SEQUENCE public.invoice_no START 1000;
  CREATE TABLE public.invoices (no bigint DEFAULT nextval('public.invoice_no'), customer text);
  INSERT INTO public.tickets (title) SELECT 't' || g FROM generate_series(1, 300) g;
  INSERT INTO public.invoices (customer) SELECT 'c' || g FROM generate_series(1, 50) g;
  CREATE ROLE pgshift_writer_ROLE;
`

async function setUp(t: Parameters<typeof createPair>[0]): Promise<{ pair: CopyPair; apply: ApplyPair; migration: string; file: string; role: string }> {
  const pair = await createPair(t)
  const role = `${pair.destinationDb.name}_writer`
  await withClient(pair.sourceDb.url, (client) => client.query(SETUP.replace('CREATE ROLE pgshift_writer_ROLE;', '')))
  await withClient(pair.destinationDb.url, async (client) => {
    await client.query(`CREATE ROLE ${role}`)
    await client.query(`GRANT ALL ON SCHEMA public TO ${role}`)
  })
  t.after(() => withClient(pair.destinationDb.cluster.url, (client) => client.query(`DROP ROLE IF EXISTS ${role}`)).catch(() => {}))
  const migration = pair.sourceDb.name.replace(/_/g, '-')
  const apply: ApplyPair = {
    source: pair.sourceDb,
    destination: pair.destinationDb,
    dir: await import('node:fs/promises').then((fs) => fs.mkdtemp(`${(process.env.TMPDIR ?? '/tmp')}/pgshift-cutover-`)),
    env: { SOURCE_URL: pair.sourceDb.url, TARGET_URL: pair.destinationDb.url },
  }
  t.after(() => import('node:fs/promises').then((fs) => fs.rm(apply.dir, { recursive: true, force: true })))
  const file = await writeSpec(apply, 'types: [schema, full, incremental]', migration)
  return { pair, apply, migration, file, role }
}

async function sourceLeftovers(url: string, slot: string): Promise<unknown> {
  return withClient(url, async (client) => {
    const { rows } = await client.query(
      `SELECT (SELECT count(*)::int FROM pg_replication_slots WHERE slot_name = $1) AS slots,
              (SELECT count(*)::int FROM pg_publication WHERE pubname = $1) AS publications,
              (SELECT count(*)::int FROM pg_namespace WHERE nspname = 'pgshift') AS schemas,
              (SELECT count(*)::int FROM pg_event_trigger WHERE evtname LIKE 'pgshift%') AS triggers,
              (SELECT relreplident::text FROM pg_class WHERE oid = 'public.invoices'::regclass) AS invoices_identity`,
      [slot],
    )
    return rows[0]
  })
}

test('cutover: stops a following apply, sets sequences past the source, releases the source, revokes writes; a second cutover changes nothing', async (t) => {
  const { pair, apply, migration, file, role } = await setUp(t)
  const spec = await loadSpec(pair, 'types: [schema, full, incremental]', migration)
  const follower = startFollower(spec)
  t.after(() => follower.stop().catch(() => {}))
  await waitFollowing(pair.destinationDb.url, migration, follower.done)
  // the keyless table was set to REPLICA IDENTITY FULL for the migration
  assert.deepEqual(await sourceLeftovers(pair.sourceDb.url, migration.replace(/-/g, '_').replace(/^/, 'pgshift_')), {
    slots: 1,
    publications: 1,
    schemas: 1,
    triggers: 0,
    invoices_identity: 'f',
  })
  await withClient(pair.sourceDb.url, async (client) => {
    await client.query(`INSERT INTO tickets (title) SELECT 'late ' || g FROM generate_series(1, 25) g`)
    await client.query(`INSERT INTO invoices (customer) VALUES ('late')`)
    await client.query(`UPDATE invoices SET customer = 'renamed' WHERE customer = 'c7'`)
  })

  const cutover = await runCli(apply, ['cutover', '--spec', file, '--timeout', '60s', '--revoke-writes', role])
  const retries = follower.events.filter((event) => event.type === 'incremental' && event.event.type === 'retry')
  assert.equal(cutover.code, 0, `${cutover.stdout}\n${cutover.stderr}\n${JSON.stringify(retries)}`)
  assert.match(cutover.stdout, /caught-up: done .*"by":"apply"/)
  assert.match(cutover.stdout, /drop-slot: done/)
  assert.match(cutover.stdout, /migration .* cut over/)
  const followed = await follower.done
  assert.equal(followed.incremental?.reason, 'stop-requested')

  await assertSameData(pair, ['public.tickets', 'public.invoices'])
  const slot = `pgshift_${migration.replace(/-/g, '_')}`
  assert.deepEqual(await sourceLeftovers(pair.sourceDb.url, slot), {
    slots: 0,
    publications: 0,
    schemas: 0,
    triggers: 0,
    invoices_identity: 'd',
  })
  const [source, destination] = await Promise.all([
    withClient(pair.sourceDb.url, (client) =>
      client.query<{ ticket: string; invoice: string }>(
        `SELECT (SELECT last_value FROM pg_sequences WHERE sequencename = 'tickets_id_seq')::text AS ticket,
                (SELECT last_value FROM pg_sequences WHERE sequencename = 'invoice_no')::text AS invoice`,
      ),
    ),
    withClient(pair.destinationDb.url, async (client) => {
      const next = await client.query<{ ticket: string; invoice: string }>(
        `SELECT nextval('public.tickets_id_seq')::text AS ticket, nextval('public.invoice_no')::text AS invoice`,
      )
      const origins = await client.query(`SELECT roname FROM pg_replication_origin WHERE roname = $1`, [slot])
      const grants = await client.query<{ writes: boolean; reads: boolean }>(
        `SELECT has_table_privilege($1, 'public.tickets', 'INSERT') AS writes, has_table_privilege($1, 'public.tickets', 'SELECT') AS reads`,
        [role],
      )
      const status = await client.query(`SELECT status FROM pgshift.replication`)
      return { next: next.rows[0], origins: origins.rows.length, grants: grants.rows[0], status: status.rows }
    }),
  ])
  assert.ok(BigInt(destination.next?.ticket ?? 0) > BigInt(source.rows[0]?.ticket ?? Infinity))
  assert.ok(BigInt(destination.next?.invoice ?? 0) > BigInt(source.rows[0]?.invoice ?? Infinity))
  assert.equal(destination.origins, 0)
  assert.equal(destination.grants?.writes, false)
  assert.deepEqual(destination.status, [{ status: 'cut-over' }])

  const again = await runCli(apply, ['cutover', '--spec', file, '--timeout', '10s', '--revoke-writes', role])
  assert.equal(again.code, 0, again.stderr)
  assert.doesNotMatch(again.stdout, /: done/)
  assert.match(again.stdout, /drop-slot: skipped/)

  // a cut-over migration does not start following again
  const restart = await runCli(apply, ['apply', '--spec', file, '--ignore-warnings'])
  assert.equal(restart.code, 3)
  assert.match(restart.stderr, /was cut over/)
})

test('cutover with no apply running applies the remaining changes itself; abort releases the source and keeps the data', async (t) => {
  const { pair, apply, migration, file } = await setUp(t)
  const first = await runCli(apply, ['apply', '--spec', file, '--ignore-warnings', '--until', 'caught-up'])
  assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`)
  assert.match(first.stdout, /caught up/)
  await withClient(pair.sourceDb.url, (client) => client.query(`DELETE FROM tickets WHERE id <= 10; INSERT INTO invoices (customer) VALUES ('after apply')`))
  const cutover = await runCli(apply, ['cutover', '--spec', file, '--timeout', '60s', '--format', 'json'])
  assert.equal(cutover.code, 0, `${cutover.stdout}\n${cutover.stderr}`)
  assert.match(cutover.stdout, /"step":"caught-up".*"by":"cutover"/)
  await assertSameData(pair, ['public.tickets', 'public.invoices'])

  // abort after cutover is refused; on a fresh migration it releases everything
  const refused = await runCli(apply, ['abort', '--spec', file])
  assert.equal(refused.code, 1)
  const other = await writeSpec(apply, 'types: [incremental]\nconflicts: ignore\nobjects: [{ schema: public, tables: [{ name: tickets }] }]', `${migration}-b`)
  const second = await runCli(apply, ['apply', '--spec', other, '--ignore-warnings', '--until', 'caught-up'])
  assert.equal(second.code, 0, `${second.stdout}\n${second.stderr}`)
  const aborted = await runCli(apply, ['abort', '--spec', other])
  assert.equal(aborted.code, 0, aborted.stderr)
  assert.match(aborted.stdout, /aborted: the source is released/)
  assert.deepEqual(await sourceLeftovers(pair.sourceDb.url, `pgshift_${migration.replace(/-/g, '_')}_b`), {
    slots: 0,
    publications: 0,
    schemas: 0,
    triggers: 0,
    invoices_identity: 'd',
  })
  await assertSameData(pair, ['public.tickets'])
})
