import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { createApplyPair, runCli, writeSpec } from '../apply/apply-kit.js'
import { assertSameData, listTables, PAGILA } from '../copy/copy-test-kit.js'
import { runSqlFile } from '../support/client-tools.js'
import { seededRandom } from '../support/seeded-random.js'
import { sequenceValues } from '../support/sequence-values.js'
import { withClient } from '../support/test-databases.js'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'
import { sourceLsn, waitApplied } from './follow-kit.js'

const BIN = path.join(WORKSPACE_ROOT, 'packages', 'core', 'bin', 'pgshift.js')

const EXTRA = `
  CREATE TABLE public.audit_counter (id int PRIMARY KEY, version bigint NOT NULL DEFAULT 0, touched timestamptz);
  INSERT INTO public.audit_counter (id) SELECT g FROM generate_series(1, 200) g;
  -- keyless and insert-only: a change applied twice would show as a duplicate row
  CREATE TABLE public.audit_log (counter_id int, version bigint, at timestamptz DEFAULT clock_timestamp());
  CREATE TABLE public.moving (id int PRIMARY KEY, v text);
  INSERT INTO public.moving SELECT g, 'm' || g FROM generate_series(1, 100) g;
  CREATE TABLE public.docs (id int PRIMARY KEY, title text, body text);
  ALTER TABLE public.docs ALTER COLUMN body SET STORAGE EXTERNAL;
  INSERT INTO public.docs SELECT g, 'doc ' || g, repeat(md5(g::text), 150) FROM generate_series(1, 40) g;
  CREATE TABLE public.scratch (id int PRIMARY KEY, v text);
  INSERT INTO public.scratch SELECT g, 's' FROM generate_series(1, 100) g;
  CREATE TABLE public.bulk (id bigint PRIMARY KEY, v text);
  ANALYZE;
`

/** A source writer: small transactions over Pagila and the audit tables until stopped. */
function startWriter(url: string, seed: number) {
  const random = seededRandom(seed)
  const pick = (n: number) => 1 + Math.floor(random() * n)
  let stopped = false
  let transactions = 0
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {})
  const done = (async () => {
    await client.connect()
    let step = 0
    while (!stopped) {
      step++
      const counter = pick(200)
      await client.query('BEGIN')
      await client.query('UPDATE audit_counter SET version = version + 1, touched = clock_timestamp() WHERE id = $1', [counter])
      await client.query('INSERT INTO audit_log (counter_id, version) SELECT id, version FROM audit_counter WHERE id = $1', [counter])
      await client.query(`UPDATE rental SET return_date = clock_timestamp() WHERE rental_id = $1`, [pick(16000)])
      await client.query(`UPDATE customer SET email = 'w' || $2 || '@example.com' WHERE customer_id = $1`, [pick(599), step])
      await client.query(
        `INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date)
         SELECT $1, 1, min(rental_id), 1.99, '2022-03-15 12:00:00+00'::timestamptz + $3 * interval '1 second'
           FROM rental WHERE rental_id >= $2`,
        [pick(599), pick(16000), step],
      )
      if (step % 3 === 0) await client.query(`INSERT INTO actor (first_name, last_name) VALUES ('W', 'writer ' || $1)`, [step])
      if (step % 7 === 0) await client.query(`DELETE FROM actor WHERE actor_id = (SELECT min(actor_id) FROM actor WHERE first_name = 'W')`)
      if (step % 5 === 0) await client.query(`UPDATE moving SET id = id + 1000 WHERE id = (SELECT min(id) FROM moving)`)
      if (step % 4 === 0) await client.query(`UPDATE docs SET title = 'title ' || $2 WHERE id = $1`, [pick(40), step])
      await client.query('COMMIT')
      transactions++
      if (step === 40) {
        await client.query(`INSERT INTO bulk SELECT g, md5(g::text) FROM generate_series(1, 100000) g`)
        transactions++
      }
      if (step === 80) {
        await client.query(`BEGIN; TRUNCATE scratch; INSERT INTO scratch SELECT g, 'after' FROM generate_series(1, 10) g; COMMIT`)
        transactions++
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })().finally(() => client.end().catch(() => {}))
  done.catch(() => {})
  return {
    stop: async () => {
      stopped = true
      await done
      return transactions
    },
  }
}

function startApply(spec: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'apply', '--spec', spec, '--log-format', 'json', '--ignore-warnings'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return { child, exit, output: () => `${stdout}\n${stderr}` }
}


test('incremental under a concurrent writer: apply killed with SIGKILL 10 times, each restart converges; after cutover every table and sequence equals the source, no change lost or applied twice', async (t) => {
  const pair = await createApplyPair(t)
  runSqlFile(pair.source.url, path.join(PAGILA, 'pagila-schema.sql'))
  runSqlFile(pair.source.url, path.join(PAGILA, 'pagila-data.sql'))
  await withClient(pair.source.url, (client) => client.query(EXTRA))
  const migration = pair.source.name.replace(/_/g, '-')
  const spec = await writeSpec(
    pair,
    [
      'types: [schema, full, incremental]',
      'options:',
      '  parallel: { tables: 2, splitLargerThan: 256KiB }',
      '  retry: { connection: 2m, other: 2m }',
    ].join('\n'),
    migration,
  )
  const seed = Number(process.env.PGSHIFT_KILL_SEED ?? 20261126)
  const next = seededRandom(seed)
  const writer = startWriter(pair.source.url, seed)
  t.after(() => writer.stop().catch(() => {}))
  const kills: string[] = []
  for (let round = 0; round < 10; round++) {
    const run = startApply(spec, pair.env)
    // early rounds land in set-up, copy and post-data; later ones while following
    const delay = 800 + Math.round(next() * 3500)
    const ended = await Promise.race([run.exit, new Promise<null>((resolve) => setTimeout(() => resolve(null), delay))])
    assert.equal(ended, null, `apply ended by itself in round ${round}: ${run.output()}`)
    run.child.kill('SIGKILL')
    await run.exit
    kills.push(`${delay} ms`)
  }
  const last = startApply(spec, pair.env)
  t.after(() => last.child.kill('SIGKILL'))
  await new Promise((resolve) => setTimeout(resolve, 3000))
  const transactions = await writer.stop()
  assert.ok(transactions > 100, `the writer ran ${transactions} transactions`)
  const failed = last.exit.then((exit) => Promise.reject(new Error(`apply exited ${JSON.stringify(exit)}: ${last.output()}`)))
  failed.catch(() => {})
  await waitApplied(pair.destination.url, migration, await sourceLsn(pair.source.url), { failed, timeoutMs: 180_000 })

  const cutover = await runCli(pair, ['cutover', '--spec', spec, '--timeout', '120s'])
  assert.equal(cutover.code, 0, `${cutover.stdout}\n${cutover.stderr}`)
  const exit = await last.exit
  assert.equal(exit.code, 0, last.output())

  const tables = await listTables(pair.source.url, ['public'])
  await assertSameData({ sourceDb: pair.source, destinationDb: pair.destination }, tables)
  assert.deepEqual(await sequenceValues(pair.destination.url), await sequenceValues(pair.source.url))
  await withClient(pair.destination.url, async (client) => {
    const { rows } = await client.query<{ versions: string; logged: string }>(
      `SELECT (SELECT sum(version)::text FROM audit_counter) AS versions, (SELECT count(*)::text FROM audit_log) AS logged`,
    )
    // every increment logged exactly once, and the counters hold every increment
    assert.equal(rows[0]?.versions, rows[0]?.logged, `kills at ${kills.join(', ')}`)
  })
})
