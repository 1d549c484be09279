import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { runAsPostgresSync } from './postgres-os-user.js'

/**
 * What a started cluster leaves on disk so that it can be found and removed even when the
 * process that started it dies without cleaning up (SIGKILL, OOM, a crashed CI job).
 * One JSON marker per cluster, next to its directory, avoids read-modify-write races
 * between the runner and test processes starting clusters at the same time.
 */
export interface ClusterRecord {
  /** Directory holding data/ and server.log; everything the cluster owns. */
  clusterDir: string
  dataDir: string
  bindir: string
  /** Process that started the cluster and is responsible for stopping it. */
  ownerPid: number
  /** Start time of ownerPid (/proc/<pid>/stat field 22), so a reused pid is not mistaken for the owner. */
  ownerStartTicks: string | null
  createdAt: string
}

/** What cleanupLeftoverClusters did with one marker. */
export interface LeftoverCleanup {
  clusterDir: string
  ownerPid: number
  /** True when a postmaster was still running and got stopped. */
  stoppedServer: boolean
  /** Why the marker was kept, when it was. */
  skipped?: string
}

const MARKER_SUFFIX = '.cluster.json'

/** Which registry the process's clusters are recorded in: tests and the demo keep apart. */
export type RegistryName = 'pgshift-test-clusters' | 'pgshift-demo-clusters'

let registryName: RegistryName = 'pgshift-test-clusters'

/**
 * Records this process's clusters in another registry (the demo's): each registry's leftover
 * cleanup only ever looks at its own clusters, so a test suite never removes a demo's.
 */
export function useRegistry(name: RegistryName): void {
  registryName = name
}

/** os.tmpdir()/<registry>, shared by every process that starts clusters of that kind. */
export function registryDir(): string {
  const dir = join(tmpdir(), registryName)
  try {
    mkdirSync(dir)
    // Sticky and world-writable like /tmp: clusters of different users can coexist, and
    // the postgres OS user must be able to traverse it to reach its data directories.
    chmodSync(dir, 0o1777)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const info = lstatSync(dir)
  if (!info.isDirectory()) {
    throw new Error(`${dir} exists but is not a directory (a symlink?); remove it so test clusters can be registered safely`)
  }
  return dir
}

/** A new, empty directory for one cluster inside the registry directory. */
export function createClusterDir(name: string): string {
  const safeName = name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40) || 'cluster'
  return mkdtempSync(join(registryDir(), `${safeName}-`))
}

function markerPath(clusterDir: string): string {
  return join(dirname(clusterDir), `${basename(clusterDir)}${MARKER_SUFFIX}`)
}

/** Record a cluster as owned by this process. Written before initdb so partial starts are covered. */
export function recordCluster(clusterDir: string, dataDir: string, bindir: string): void {
  writeClusterRecord({
    clusterDir,
    dataDir,
    bindir,
    ownerPid: process.pid,
    ownerStartTicks: processStartTicks(process.pid),
    createdAt: new Date().toISOString(),
  })
}

/**
 * Hands a running cluster over to its own postmaster: it outlives this process (`pgshift demo
 * --keep`), and once the server is stopped the next leftover cleanup removes its directory.
 */
export function handOverToServer(clusterDir: string, dataDir: string, bindir: string): void {
  const postmaster = runningPostmasterPid(dataDir)
  if (postmaster === undefined) throw new Error(`no running server in ${dataDir} to hand the cluster over to`)
  writeClusterRecord({
    clusterDir,
    dataDir,
    bindir,
    ownerPid: postmaster,
    ownerStartTicks: processStartTicks(postmaster),
    createdAt: new Date().toISOString(),
  })
}

/** Write (or overwrite) the marker of record.clusterDir. */
export function writeClusterRecord(record: ClusterRecord): void {
  const path = markerPath(record.clusterDir)
  // Write-then-rename so a reader never sees half a marker.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o644 })
  renameSync(`${path}.tmp`, path)
}

export function forgetCluster(clusterDir: string): void {
  rmSync(markerPath(clusterDir), { force: true })
}

/** The markers in the registry directory that this user may act on. */
export function listClusterRecords(): ClusterRecord[] {
  const dir = registryDir()
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined
  const records: ClusterRecord[] = []
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(MARKER_SUFFIX)) continue
    const path = join(dir, name)
    try {
      // Only our own markers: the directory is world-writable.
      if (uid !== undefined && lstatSync(path).uid !== uid) continue
      const record = JSON.parse(readFileSync(path, 'utf8')) as ClusterRecord
      // A marker may only ever point at a directory right next to it.
      if (record.clusterDir !== join(dir, name.slice(0, -MARKER_SUFFIX.length))) continue
      records.push(record)
    } catch {
      // Unreadable or half-written marker: not ours to judge.
    }
  }
  return records
}

/**
 * Stop and remove clusters whose recorded owner process is gone (a SIGKILLed runner or
 * test process). Clusters of live processes, including other concurrent runs, are left alone.
 */
export function cleanupLeftoverClusters(): LeftoverCleanup[] {
  const results: LeftoverCleanup[] = []
  for (const record of listClusterRecords()) {
    if (record.ownerPid === process.pid || isProcessAlive(record.ownerPid, record.ownerStartTicks)) continue
    try {
      const stoppedServer = destroyClusterSync(record)
      results.push({ clusterDir: record.clusterDir, ownerPid: record.ownerPid, stoppedServer })
    } catch (error) {
      results.push({ clusterDir: record.clusterDir, ownerPid: record.ownerPid, stoppedServer: false, skipped: (error as Error).message })
    }
  }
  return results
}

/**
 * Stop a cluster's server if it still runs, then delete its directory and marker.
 * Synchronous because it also runs from process 'exit' and signal handlers.
 * Returns whether a running server was stopped.
 */
export function destroyClusterSync(record: Pick<ClusterRecord, 'clusterDir' | 'dataDir' | 'bindir'>): boolean {
  let stopped = false
  const postmasterPid = runningPostmasterPid(record.dataDir)
  if (postmasterPid !== undefined) {
    const result = runAsPostgresSync(join(record.bindir, 'pg_ctl'), ['-D', record.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop'])
    if (result.code !== 0 && runningPostmasterPid(record.dataDir) !== undefined) {
      // Keep the directory: deleting it under a live server would orphan the server for good.
      throw new Error(`pg_ctl stop failed for ${record.dataDir}: ${(result.error?.message ?? `${result.stdout}${result.stderr}`).trim()}`)
    }
    stopped = true
  }
  rmSync(record.clusterDir, { recursive: true, force: true })
  forgetCluster(record.clusterDir)
  return stopped
}

/**
 * The pid in postmaster.pid, but only if that process really is the postmaster of this data
 * directory (postgres chdirs into it). A stale postmaster.pid whose pid got reused by an
 * unrelated process must never make pg_ctl signal that process.
 */
export function runningPostmasterPid(dataDir: string): number | undefined {
  let pid: number
  try {
    pid = Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10)
  } catch {
    return undefined
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid, null)) return undefined
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(dataDir) ? pid : undefined
  } catch {
    // No procfs, or not allowed to look: the marker is ours, so trust postmaster.pid. pg_ctl
    // runs as the postgres user and could not signal another user's process anyway.
    return existsSync(`/proc/${pid}`) || !existsSync('/proc/self') ? pid : undefined
  }
}

/** State letter and start time (fields 3 and 22 of /proc/<pid>/stat), or null without procfs. */
function processStat(pid: number): { state: string; startTicks: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may contain spaces and parentheses; the fields after it are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { state: fields[0] ?? '', startTicks: fields[19] ?? '' }
  } catch {
    return null
  }
}

function processStartTicks(pid: number): string | null {
  return processStat(pid)?.startTicks ?? null
}

function isProcessAlive(pid: number, startTicks: string | null): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const stat = processStat(pid)
  if (stat === null) return true
  // A zombie still answers kill(pid, 0) but has finished.
  if (stat.state === 'Z' || stat.state === 'X') return false
  return startTicks === null || stat.startTicks === startTicks
}
