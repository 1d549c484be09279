import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { createApplyPair, writeSpec } from '../apply/apply-kit.js'
import { assertSameData } from '../copy/copy-test-kit.js'
import { withClient } from '../support/test-databases.js'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'
import { followNewPair, sourceLsn, startFollower, waitApplied, waitFollowing } from './follow-kit.js'

const SETUP = `
  CREATE TABLE public.ledger (id bigserial PRIMARY KEY, account int NOT NULL, amount numeric NOT NULL);
  INSERT INTO public.ledger (account, amount) SELECT g % 50, g FROM generate_series(1, 1000) g;
`

test('incremental: connections lost on either side are re-established with back-off; nothing is lost or doubled', async (t) => {
  const { pair, migration, follower } = await followNewPair(
    t,
    SETUP,
    'types: [schema, full, incremental]\noptions: { retry: { connection: 1m, other: 1m } }',
  )
  const application = `pgshift apply ${migration}`
  for (let round = 0; round < 6; round++) {
    await withClient(pair.sourceDb.url, (client) =>
      client.query(`INSERT INTO ledger (account, amount) SELECT g % 50, $1 FROM generate_series(1, 200) g; UPDATE ledger SET amount = amount + 1 WHERE account = $1`.replace('$1', String(round)).replace('$1', String(round))),
    )
    // alternately the walsender on the source and the applying session on the destination
    const side = round % 2 === 0 ? pair.sourceDb : pair.destinationDb
    const view = round % 2 === 0 ? 'pg_stat_replication' : 'pg_stat_activity'
    await withClient(side.url, (client) =>
      client.query(`SELECT pg_terminate_backend(pid) FROM ${view} WHERE application_name = $1`, [application]),
    )
    await new Promise((resolve) => setTimeout(resolve, 700))
  }
  await waitApplied(pair.destinationDb.url, migration, await sourceLsn(pair.sourceDb.url), {
    failed: follower.done,
    describe: follower.describe,
  })
  await follower.stop()
  await assertSameData(pair, ['public.ledger'])
  const retries = follower.events.flatMap((event) =>
    event.type === 'incremental' && event.event.type === 'retry' ? [event.event.side] : [],
  )
  assert.ok(retries.includes('source'), JSON.stringify(retries))
  assert.ok(retries.includes('destination'), JSON.stringify(retries))
})

test('incremental: a replication slot that disappeared stops apply loudly instead of diverging', async (t) => {
  const { pair, migration, spec, follower: first } = await followNewPair(t, SETUP, 'types: [schema, full, incremental]')
  await first.stop()
  await withClient(pair.sourceDb.url, (client) =>
    client.query(`SELECT pg_drop_replication_slot($1)`, [`pgshift_${migration.replace(/-/g, '_')}`]),
  )
  const second = startFollower(spec)
  await assert.rejects(second.done, /slot .* does not exist|SLOT_NOT_FOUND|replication slot/i)
})

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const match = /VmHWM:\s+(\d+) kB/.exec(status)
  return Number(match?.[1] ?? 0) * 1024
}

test('incremental: a 1,000,000-row source transaction streams through apply with peak RSS under 300 MB', async (t) => {
  const pair = await createApplyPair(t)
  await withClient(pair.source.url, (client) =>
    client.query(`CREATE TABLE public.wide (id bigint PRIMARY KEY, label text, amount numeric, at timestamptz)`),
  )
  const migration = pair.source.name.replace(/_/g, '-')
  const spec = await writeSpec(pair, 'types: [schema, full, incremental]', migration)
  const bin = path.join(WORKSPACE_ROOT, 'packages', 'core', 'bin', 'pgshift.js')
  const child = spawn(process.execPath, [bin, 'apply', '--spec', spec, '--log-format', 'json', '--ignore-warnings'], {
    env: { ...process.env, ...pair.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  t.after(() => child.kill('SIGKILL'))
  const failed = exit.then((code) => Promise.reject(new Error(`apply exited ${code}: ${output}`)))
  failed.catch(() => {})
  await waitFollowing(pair.destination.url, migration, failed)
  await withClient(pair.source.url, (client) =>
    client.query(
      `INSERT INTO wide SELECT g, 'label ' || g, g * 1.5, '2026-01-01'::timestamptz + g * interval '1 second'
         FROM generate_series(1, 1000000) g`,
    ),
  )
  await waitApplied(pair.destination.url, migration, await sourceLsn(pair.source.url), { failed, timeoutMs: 240_000 })
  const peak = await peakRss(child.pid ?? 0)
  child.kill('SIGTERM')
  assert.equal(await exit, 0, output)
  const [count] = await withClient(pair.destination.url, async (client) => (await client.query<{ n: string }>('SELECT count(*)::text AS n FROM wide')).rows)
  assert.equal(count?.n, '1000000')
  t.diagnostic(`peak RSS ${Math.round(peak / 1048576)} MB`)
  assert.ok(peak < 300 * 1024 * 1024, `peak RSS ${Math.round(peak / 1048576)} MB`)
})
