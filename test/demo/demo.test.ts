import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import pg from 'pg'
import { cleanupLeftoverClusters, listClusterRecords, runningPostmasterPid, useRegistry } from '../../packages/core/src/cluster/index.js'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'

const BIN = path.join(WORKSPACE_ROOT, 'packages', 'core', 'bin', 'pgshift.js')

function startDemo(onLine: (line: string) => void = () => {}, extra: readonly string[] = []) {
  // no TTY, as in CI: plain text steps and JSON lines from apply
  const child = spawn(process.execPath, [BIN, 'demo', '--log-format', 'json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`
    onLine(line)
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return { child, exit, output: () => ({ stdout, stderr }) }
}

// the demo records its clusters apart from the test suite's: read its registry
useRegistry('pgshift-demo-clusters')

function demoClusters() {
  return listClusterRecords().filter((record) => /\/demo-(source|destination)-/.test(record.clusterDir))
}

test('pgshift demo: a SIGKILLed demo orphans its servers; the next removes them, migrates under live writes, cuts over, validates equal, and --keep/--stop', async (t) => {
  // clusters earlier killed runs left (their owner pids may since have been reused) go first
  cleanupLeftoverClusters()
  const startedAt = new Date().toISOString()
  const first = startDemo((line) => {
    // both clusters are up and the dataset is loading: the worst moment to die
    if (line.startsWith('2. loading')) first.child.kill('SIGKILL')
  })
  t.after(() => first.child.kill('SIGKILL'))
  const killed = await first.exit
  assert.equal(killed.signal, 'SIGKILL', first.output().stdout + first.output().stderr)
  const orphans = demoClusters().filter((record) => record.ownerPid === first.child.pid && record.createdAt >= startedAt)
  assert.equal(orphans.length, 2, 'two clusters left behind')
  assert.ok(orphans.every((record) => runningPostmasterPid(record.dataDir) !== undefined), 'their servers still run')

  // other demos may run on this machine at the same time: look only at this test's clusters
  const before = new Set(demoClusters().map((record) => record.clusterDir))
  const second = startDemo(() => {}, ['--keep'])
  t.after(() => second.child.kill('SIGKILL'))
  const ended = await second.exit
  const { stdout, stderr } = second.output()
  assert.equal(ended.code, 0, `${stdout}\n${stderr}`)
  for (const orphan of orphans) assert.match(stdout, new RegExp(`removed a cluster left by an earlier run \\(pid ${first.child.pid}\\): ${orphan.clusterDir}`))
  assert.ok(orphans.every((record) => runningPostmasterPid(record.dataDir) === undefined), 'orphaned servers stopped')
  assert.match(stdout, /^5\. pgshift plan --spec migrations\/demo-sales\.yaml --out plan$/m)
  // the one warning says there is nothing to do (public.orders is filtered in the engine)
  assert.match(stdout, /^prechecks: 0 errors, 1 warnings$/m)
  assert.match(stdout, /^ {2}warning ROW_FILTER_REPLICA_IDENTITY: /m)
  assert.match(stdout, /^incremental:$/m)
  // apply followed the background writer's changes, caught up, and stopped when cutover asked
  assert.match(stdout, /"type":"incremental-caught-up"/)
  assert.match(stdout, /"type":"incremental-stopped","reason":"stop-requested"/)
  assert.match(stdout, /"type":"applied","migration":"demo-sales"/)
  for (const step of ['caught-up', 'sequences', 'drop-slot', 'drop-publication']) {
    assert.match(stdout, new RegExp(`"command":"cutover","type":"step-done","step":"${step}"`))
  }
  assert.match(stdout, /"type":"cut-over","migration":"demo-sales"/)
  // validation after cutover: every table and every sequence, changes included
  assert.match(stdout, /pgshift validate demo-sales: equal — 5 tables and 4 sequences equal/)
  const summaryLine = stdout.split('\n').find((line) => line.includes('"type":"demo-summary"'))
  assert.ok(summaryLine !== undefined, 'a JSON summary')
  const summary = JSON.parse(summaryLine) as {
    rowsCopied: number
    changesApplied: number
    sourceWrites: { transactions: number }
    lagAtCutover: { lagSeconds: number } | null
  }
  assert.ok(summary.rowsCopied > 390_000, `rows copied: ${summary.rowsCopied}`)
  assert.ok(summary.sourceWrites.transactions > 0, 'the writer wrote')
  assert.ok(summary.changesApplied > 0, `changes applied while following: ${summary.changesApplied}`)
  assert.ok(summary.lagAtCutover !== null, 'lag measured before cutover')
  const order = ['"type":"incremental-caught-up"', '"type":"cut-over"', 'pgshift validate demo-sales: equal', '"type":"demo-summary"']
  const positions = order.map((marker) => stdout.indexOf(marker))
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, `in this order: ${order.join(', ')}`)

  // --keep: both servers outlive the demo, their URLs are printed
  const kept = demoClusters().filter((record) => !before.has(record.clusterDir))
  assert.equal(kept.length, 2)
  assert.ok(kept.every((record) => runningPostmasterPid(record.dataDir) !== undefined))
  const exported = [...stdout.matchAll(/^ {2}export (SOURCE|TARGET)_DATABASE_URL=(\S+)$/gm)]
  assert.deepEqual(exported.map((match) => match[1]), ['SOURCE', 'TARGET'])
  // cutover released the source: no slot, publication or heartbeat left behind
  const source = new pg.Client({ connectionString: exported[0]?.[2] })
  await source.connect()
  try {
    const { rows } = await source.query<{ slots: number; publications: number; heartbeat: string | null }>(
      `SELECT (SELECT count(*)::int FROM pg_replication_slots) AS slots,
              (SELECT count(*)::int FROM pg_publication) AS publications,
              to_regclass('pgshift.heartbeat')::text AS heartbeat`,
    )
    assert.deepEqual(rows[0], { slots: 0, publications: 0, heartbeat: null })
  } finally {
    await source.end()
  }
  const stop = spawnSync(process.execPath, [BIN, 'demo', '--stop'], { encoding: 'utf8' })
  assert.equal(stop.status, 0, stop.stderr)
  for (const record of kept) assert.match(stop.stdout, new RegExp(`^stopped and removed ${record.clusterDir}$`, 'm'))
  const left = new Set(demoClusters().map((record) => record.clusterDir))
  assert.ok(kept.every((record) => !left.has(record.clusterDir)), '--stop removed them')
  assert.ok(kept.every((record) => runningPostmasterPid(record.dataDir) === undefined))
  assert.ok(kept.every((record) => !existsSync(record.clusterDir)), 'their folders are gone')
})
