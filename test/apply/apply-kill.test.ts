import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { assertSameData } from '../copy/copy-test-kit.js'
import { dumpSchema } from '../support/client-tools.js'
import { withClient } from '../support/test-databases.js'
import { seededRandom } from '../support/seeded-random.js'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'
import { createApplyPair, writeSpec } from './apply-kit.js'

const DATA = `
  CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE TABLE big (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL, feel mood, pad text);
  INSERT INTO big (label, feel, pad) SELECT 'row ' || i, (ARRAY['sad','ok','happy']::mood[])[1 + i % 3], repeat(md5(i::text), 3)
    FROM generate_series(1, 60000) AS i;
  CREATE INDEX big_label ON big (label);
  CREATE TABLE heap (v text, n int);
  INSERT INTO heap SELECT repeat(md5(i::text), 2), i % 100 FROM generate_series(1, 15000) AS i;
  CREATE TABLE small (id serial PRIMARY KEY, big_id bigint REFERENCES big, v text UNIQUE);
  INSERT INTO small (big_id, v) SELECT i, 'v' || i FROM generate_series(1, 100) AS i;
  CREATE VIEW happy AS SELECT id, label FROM big WHERE feel = 'happy';
  ANALYZE;
`

const BIN = path.join(WORKSPACE_ROOT, 'packages', 'core', 'bin', 'pgshift.js')

/** Runs `pgshift apply`; resolves with its exit once it ends or is killed. */
function startApply(spec: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'apply', '--spec', spec, '--log-format', 'json', '--ignore-warnings'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  const steps: string[] = []
  let onFirstStep: () => void = () => {}
  const firstStep = new Promise<void>((resolve) => (onFirstStep = resolve))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  createInterface({ input: child.stdout }).on('line', (line) => {
    const event = JSON.parse(line) as { type: string; step?: string }
    if (event.type === 'step-started' && event.step !== undefined) {
      steps.push(event.step)
      onFirstStep()
    }
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return { child, exit, firstStep, steps, stderr: () => stderr }
}

test('pgshift apply killed with SIGKILL at 10 random moments: each re-run resumes, the last converges exactly', async (t) => {
  const pair = await createApplyPair(t)
  await withClient(pair.source.url, (client) => client.query(DATA))
  const spec = await writeSpec(
    pair,
    [
      'types: [schema, full]',
      'options:',
      '  parallel: { tables: 2, splitLargerThan: 512KiB }',
      '  throttle: { full: { bytesPerSecond: 2MiB } }',
    ].join('\n'),
  )
  const seed = Number(process.env.PGSHIFT_KILL_SEED ?? 20261125)
  const next = seededRandom(seed)
  const kills: string[] = []
  for (let round = 0; round < 10; round++) {
    const run = startApply(spec, pair.env)
    await Promise.race([run.firstStep, run.exit])
    // the moment is drawn over the whole run after start-up: prechecks, DDL, copy, post-data
    const delay = Math.round(next() * 4000)
    const ended = await Promise.race([run.exit, new Promise<null>((resolve) => setTimeout(() => resolve(null), delay))])
    if (ended !== null) {
      assert.equal(ended.code, 0, run.stderr())
      kills.push(`finished before ${delay} ms`)
      continue
    }
    run.child.kill('SIGKILL')
    await run.exit
    kills.push(`${delay} ms (${run.steps.at(-1) ?? 'precheck'})`)
  }
  t.diagnostic(`seed ${seed}: killed at ${kills.join(', ')}`)
  assert.ok(kills.filter((kill) => kill.includes('(full)')).length >= 2, `at least two kills landed mid-copy: ${kills.join(', ')}`)

  const last = startApply(spec, pair.env)
  assert.equal((await last.exit).code, 0, last.stderr())
  assert.equal(dumpSchema(pair.destination.url, ['--exclude-schema=pgshift']), dumpSchema(pair.source.url))
  await assertSameData({ sourceDb: pair.source, destinationDb: pair.destination }, ['public.big', 'public.heap', 'public.small'])
  await withClient(pair.destination.url, async (client) => {
    const { rows } = await client.query(`SELECT count(*)::int AS invalid FROM pg_index WHERE NOT indisvalid`)
    assert.deepEqual(rows, [{ invalid: 0 }])
    // identity and serial sequences carry on after the source's values
    const next = await client.query(`INSERT INTO small (big_id, v) VALUES (1, 'new') RETURNING id`)
    assert.deepEqual(next.rows, [{ id: 101 }])
  })
})
