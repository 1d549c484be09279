import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { cleanupLeftoverClusters, listClusterRecords, runningPostmasterPid, writeClusterRecord } from '../support/cluster-registry.js'
import { startCluster } from '../support/local-cluster.js'

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' })
  return Number.parseInt(child.stdout.trim(), 10)
}

function postmasterPidOf(dataDir: string): number | undefined {
  try {
    return Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10)
  } catch {
    return undefined
  }
}

test('clusters recorded for a dead owner are stopped and removed', async (t) => {
  const cluster = await startCluster({ name: 'leftover' })
  t.after(() => cluster.stop())
  const postmaster = runningPostmasterPid(cluster.dataDir)
  assert.ok(postmaster, 'server running')

  // Ours and alive: cleanup must not touch it.
  assert.deepEqual(cleanupLeftoverClusters().filter((entry) => entry.clusterDir === cluster.clusterDir), [])
  assert.ok(runningPostmasterPid(cluster.dataDir))

  // Owned by another live process (our parent): still untouched.
  const record = listClusterRecords().find((entry) => entry.clusterDir === cluster.clusterDir)
  assert.ok(record, 'registry entry written by startCluster')
  writeClusterRecord({ ...record, ownerPid: process.ppid, ownerStartTicks: null })
  assert.deepEqual(cleanupLeftoverClusters().filter((entry) => entry.clusterDir === cluster.clusterDir), [])

  writeClusterRecord({ ...record, ownerPid: deadPid(), ownerStartTicks: null })
  const cleaned = cleanupLeftoverClusters().filter((entry) => entry.clusterDir === cluster.clusterDir)
  assert.equal(cleaned.length, 1)
  assert.equal(cleaned[0]?.stoppedServer, true)
  assert.equal(cleaned[0]?.skipped, undefined)
  assert.equal(runningPostmasterPid(cluster.dataDir), undefined)
  assert.equal(existsSync(cluster.clusterDir), false)
  assert.equal(listClusterRecords().some((entry) => entry.clusterDir === cluster.clusterDir), false)
  // Stopping the already-cleaned cluster is harmless.
  await cluster.stop()
})

test('a cluster orphaned by a SIGKILLed process is cleaned up by the next run', async () => {
  const fixture = resolve(__dirname, '..', 'support', 'fixtures', 'hold-cluster.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolveLine, reject) => {
    let buffered = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const newline = buffered.indexOf('\n')
      if (newline >= 0) resolveLine(buffered.slice(0, newline))
    })
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code} before starting a cluster`)))
  })
  const { clusterDir, dataDir } = JSON.parse(line) as { clusterDir: string; dataDir: string }
  const postmaster = postmasterPidOf(dataDir)
  assert.ok(postmaster && runningPostmasterPid(dataDir) === postmaster, 'orphan server running')

  const exited = new Promise((resolveExit) => child.once('exit', resolveExit))
  child.kill('SIGKILL')
  await exited
  // SIGKILL runs no cleanup: the server outlives its owner.
  assert.equal(runningPostmasterPid(dataDir), postmaster)

  const cleaned = cleanupLeftoverClusters().find((entry) => entry.clusterDir === clusterDir)
  assert.deepEqual(cleaned, { clusterDir, ownerPid: child.pid, stoppedServer: true })
  assert.equal(runningPostmasterPid(dataDir), undefined)
  assert.equal(existsSync(clusterDir), false)
})
