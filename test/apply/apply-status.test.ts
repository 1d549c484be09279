import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import type { MigrationStatus } from '../../packages/core/src/status/index.js'
import { withClient } from '../support/test-databases.js'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'
import { createApplyPair, runCli, writeSpec } from './apply-kit.js'

const BIN = path.join(WORKSPACE_ROOT, 'packages', 'core', 'bin', 'pgshift.js')

test('pgshift status: not started, then live progress from another process while apply runs, then every phase done', async (t) => {
  const pair = await createApplyPair(t)
  await withClient(pair.source.url, (client) =>
    client.query(`
      CREATE TABLE big (id int PRIMARY KEY, pad text);
      INSERT INTO big SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, 40000) AS i;
      CREATE TABLE small (id int PRIMARY KEY);
      INSERT INTO small SELECT generate_series(1, 10);
      ANALYZE;`),
  )
  const spec = await writeSpec(
    pair,
    'types: [schema, full]\noptions: { parallel: { tables: 2, splitLargerThan: 2MiB }, throttle: { full: { bytesPerSecond: 1MiB } } }',
  )
  const before = await runCli(pair, ['status', '--spec', spec])
  assert.equal(before.code, 0, before.stderr)
  assert.equal(before.stdout, 'migration apply-test: not started (the destination holds no pgshift state for it)\n')

  const child = spawn(process.execPath, [BIN, 'apply', '--spec', spec, '--log-format', 'json'], {
    env: { ...process.env, ...pair.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  t.after(() => child.kill('SIGKILL'))

  // poll until the copy is visibly under way: some bytes moved, not all units done
  let live: MigrationStatus | undefined
  for (let attempt = 0; attempt < 100 && live === undefined; attempt++) {
    await sleep(200)
    const run = await runCli(pair, ['status', '--spec', spec, '--format', 'json'])
    assert.equal(run.code, 0, run.stderr)
    const status = JSON.parse(run.stdout) as MigrationStatus
    const big = status.tables.find((table) => table.table === 'public.big')
    if (status.currentPhase === 'full' && big !== undefined && big.bytes > 0 && big.doneUnits < big.units && big.bytesPerSecond !== null) {
      live = status
    }
  }
  assert.ok(live, 'status showed the copy in progress')
  const big = live.tables.find((table) => table.table === 'public.big')
  assert.ok(big !== undefined && big.estimatedBytes !== null && big.estimatedBytes > 2 * 1024 * 1024)
  assert.ok(big.units > 1, 'big is split into ranges')
  assert.ok(live.phases.some((phase) => phase.phase === 'schema-pre-data' && phase.status === 'done'))
  assert.ok(live.phases.some((phase) => phase.phase === 'full' && phase.status === 'running'))

  assert.equal(await exit, 0, stderr)
  const after = await runCli(pair, ['status', '--spec', spec])
  assert.match(after.stdout, /^migration apply-test: sequences\n/)
  for (const phase of ['schema-pre-data', 'full', 'schema-post-data', 'sequences']) {
    assert.match(after.stdout, new RegExp(`  ${phase} +done in `))
  }
  assert.match(after.stdout, /  public\.big: done, 40,000 rows, /)
  assert.match(after.stdout, /  total: \d+\/\d+ units, 40,010 rows, /)
})
