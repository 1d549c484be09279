import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { FullCopyError, prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import type { CopyEvent } from '../../packages/core/src/copy/index.js'
import { withClient } from '../support/test-databases.js'
import { seededRandom } from '../support/seeded-random.js'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'
import { assertSameData, createDestinationSchema, createPair, finishDestinationSchema, loadSpec } from './copy-test-kit.js'

const DATA = `
  CREATE TABLE big (id int PRIMARY KEY, label text NOT NULL, pad text);
  INSERT INTO big SELECT i, 'row ' || i, repeat(md5(i::text), 3) FROM generate_series(1, 30000) AS i;
  CREATE TABLE heap (v text, n int);
  INSERT INTO heap SELECT repeat(md5(i::text), 2), i % 100 FROM generate_series(1, 15000) AS i;
  CREATE TABLE small (id int PRIMARY KEY, v text);
  INSERT INTO small SELECT i, 'v' || i FROM generate_series(1, 100) AS i;
  ANALYZE;
`

test('a unit that fails mid-way leaves nothing behind, and a re-run copies only what is missing', async (t) => {
  const pair = await createPair(t)
  await withClient(pair.sourceDb.url, (client) => client.query(DATA))
  const spec = await loadSpec(pair, 'options: { parallel: { tables: 2, splitLargerThan: 1MiB }, retry: { other: 1s } }')
  await createDestinationSchema(pair)
  // the destination refuses one row in the middle of one range of big
  await pair.destination.pool.query('ALTER TABLE big ADD CONSTRAINT boom CHECK (id <> 15000)')
  const plan = await prepareCopyPlan(pair.source, pair.destination, spec)
  assert.equal(plan.tables.find((table) => table.tableId === 'table:public.heap')?.split, 'pages')
  assert.equal(plan.tables.find((table) => table.tableId === 'table:public.big')?.split, 'key')

  const events: CopyEvent[] = []
  const error = await runFullCopy({ ...pair, spec, plan, onEvent: (event) => events.push(event) }).then(
    () => assert.fail('the copy should fail'),
    (failure: unknown) => failure,
  )
  assert.ok(error instanceof FullCopyError)
  const failed = error.result.units.filter((unit) => unit.status === 'failed')
  assert.equal(failed.length, 1)
  const failedUnit = plan.units.find((unit) => unit.id === failed[0]?.unitId)
  assert.ok(failedUnit?.destinationPredicate, 'a range of big failed')
  assert.equal(error.result.units.filter((unit) => unit.status === 'copied').length, plan.units.length - 1)
  const retries = events.filter((event) => event.type === 'retry')
  assert.ok(retries.length >= 1)
  assert.ok(retries.every((event) => event.type === 'retry' && event.kind === 'other' && /boom/.test(event.cause) && event.code === '23514'))

  // nothing of the failed range arrived, everything else did
  const inRange = await pair.destination.pool.query(`SELECT count(*)::int AS n FROM big WHERE ${failedUnit.destinationPredicate}`)
  assert.deepEqual(inRange.rows, [{ n: 0 }])
  const outside = await pair.source.pool.query(`SELECT count(*)::int AS n FROM big WHERE NOT (${failedUnit.destinationPredicate})`)
  const copied = await pair.destination.pool.query('SELECT count(*)::int AS n FROM big')
  assert.deepEqual(copied.rows, outside.rows)
  const state = await pair.destination.pool.query(
    'SELECT status, attempts >= 2 AS retried FROM pgshift.copy_units WHERE unit_id = $1',
    [failedUnit.id],
  )
  assert.deepEqual(state.rows, [{ status: 'pending', retried: true }])

  await pair.destination.pool.query('ALTER TABLE big DROP CONSTRAINT boom')
  const resumed = await runFullCopy({ ...pair, spec, plan })
  assert.deepEqual(
    resumed.units.filter((unit) => unit.status === 'copied').map((unit) => unit.unitId),
    [failedUnit.id],
  )
  await assertSameData(pair, ['public.big', 'public.heap', 'public.small'])
})

test('connection loss on both sides mid-copy: units are retried whole under a new snapshot and the copy completes', async (t) => {
  const pair = await createPair(t)
  await withClient(pair.sourceDb.url, (client) => client.query(DATA))
  const spec = await loadSpec(
    pair,
    'options: { parallel: { tables: 2, splitLargerThan: 1MiB }, throttle: { full: { bytesPerSecond: 2MiB } }, retry: { connection: 1m, other: 1s } }',
  )
  await createDestinationSchema(pair)
  const plan = await prepareCopyPlan(pair.source, pair.destination, spec)
  const events: CopyEvent[] = []
  const terminate = async () => {
    // wait until rows flow, then cut every pgshift session: the copy workers on both sides and
    // the session holding the exported snapshot
    while (!events.some((event) => event.type === 'unit-progress')) await new Promise((resolve) => setTimeout(resolve, 20))
    const sql = "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name IN ('pgshift copy source', 'pgshift copy destination', 'pgshift snapshot')"
    const [source, destination] = await Promise.all([pair.source.pool.query(sql), pair.destination.pool.query(sql)])
    return (source.rows[0]?.n ?? 0) + (destination.rows[0]?.n ?? 0)
  }
  const [result, terminated] = await Promise.all([runFullCopy({ ...pair, spec, plan, onEvent: (event) => events.push(event) }), terminate()])
  assert.ok(terminated >= 3, `terminated ${terminated} sessions`)
  const retries = events.filter((event) => event.type === 'retry')
  assert.ok(retries.length >= 1)
  assert.ok(retries.every((event) => event.type === 'retry' && event.kind === 'connection'), JSON.stringify(retries))
  assert.ok(result.units.every((unit) => unit.status === 'copied'))
  const renewed = await pair.destination.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pgshift.copy_units WHERE snapshot_name <> $1',
    [result.snapshot?.name],
  )
  assert.ok((renewed.rows[0]?.n ?? 0) >= 1, 'units retried after the loss were copied under a new snapshot')
  await assertSameData(pair, ['public.big', 'public.heap', 'public.small'])
})

/** Starts the child copy; resolves with its exit once it is killed or finishes. */
function startChild(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'copy-child.ts')], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  )
  const lines = createInterface({ input: child.stdout })
  const started = new Promise<boolean>((resolve) => {
    lines.on('line', (line) => {
      const event = JSON.parse(line) as { type: string }
      if (event.type === 'unit-started') resolve(true)
    })
    child.on('exit', () => resolve(false))
  })
  return { child, exit, started }
}

test('kill -9 at random moments, several times: every re-run converges to the source, nothing duplicated', async (t) => {
  const pair = await createPair(t)
  await withClient(pair.sourceDb.url, (client) => client.query(DATA))
  await createDestinationSchema(pair)
  const specText = [
    'types: [schema, full, incremental]',
    'options:',
    '  parallel: { tables: 2, splitLargerThan: 512KiB }',
    '  throttle: { full: { bytesPerSecond: 1MiB } }',
  ].join('\n')
  const env = { COPY_SOURCE_URL: pair.sourceDb.url, COPY_TARGET_URL: pair.destinationDb.url, COPY_SPEC: specText }
  const seed = Number(process.env.PGSHIFT_KILL_SEED ?? 20261125)
  const next = seededRandom(seed)
  const kills: number[] = []
  for (let round = 0; round < 4; round++) {
    const spawned = performance.now()
    const { child, exit, started } = startChild(env)
    const didStart = await started
    t.diagnostic(`round ${round}: first unit started after ${Math.round(performance.now() - spawned)} ms`)
    if (!didStart) {
      const ended = await exit
      assert.equal(ended.code, 0, ended.stderr)
      break
    }
    const delay = Math.round(50 + next() * 1950)
    await new Promise((resolve) => setTimeout(resolve, delay))
    child.kill('SIGKILL')
    const ended = await exit
    kills.push(ended.signal === 'SIGKILL' ? delay : -delay)
  }
  t.diagnostic(`seed ${seed}: killed after ${kills.join(', ')} ms after the first unit started (negative: it had finished)`)
  const last = startChild(env)
  const ended = await last.exit
  assert.equal(ended.code, 0, ended.stderr)

  await assertSameData(pair, ['public.big', 'public.heap', 'public.small'])
  const units = await pair.destination.pool.query<{ done: number; runs: number; lsns: number; missing_lsn: number }>(
    `SELECT count(*) FILTER (WHERE status = 'done')::int AS done, count(DISTINCT run_id)::int AS runs,
            count(DISTINCT snapshot_lsn)::int AS lsns, count(*) FILTER (WHERE snapshot_lsn IS NULL)::int AS missing_lsn
       FROM pgshift.copy_units`,
  )
  const total = await pair.destination.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pgshift.copy_units')
  assert.equal(units.rows[0]?.done, total.rows[0]?.n)
  assert.equal(units.rows[0]?.missing_lsn, 0, 'with incremental, every unit records the LSN of its snapshot')
  t.diagnostic(`units done by ${units.rows[0]?.runs} runs under ${units.rows[0]?.lsns} snapshots`)
  const slot = await pair.source.pool.query(`SELECT slot_name FROM pg_replication_slots WHERE database = current_database() ORDER BY 1`)
  assert.deepEqual(slot.rows, [{ slot_name: 'pgshift_copy_test' }], 'the migration slot stays, temporary ones are gone')
  // the primary keys build: no row arrived twice
  await finishDestinationSchema(pair)
})
