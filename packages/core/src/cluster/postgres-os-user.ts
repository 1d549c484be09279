import { execFile, spawnSync } from 'node:child_process'
import type { SpawnSyncReturns } from 'node:child_process'
import { chownSync } from 'node:fs'

/** The uid/gid PostgreSQL server processes run as. */
export interface OsUser {
  name: string
  uid: number
  gid: number
}

const POSTGRES_USER = 'postgres'

let cachedUser: OsUser | null | undefined

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0
}

/**
 * The OS user that must own data directories and run initdb/pg_ctl, or null when the
 * current user can run them itself. PostgreSQL refuses to run as root, so under root
 * this is the `postgres` user, created when it does not exist yet (fresh containers).
 */
export function postgresOsUser(): OsUser | null {
  if (cachedUser !== undefined) return cachedUser
  if (!isRoot()) {
    cachedUser = null
    return cachedUser
  }
  cachedUser = lookupUser(POSTGRES_USER) ?? createSystemUser(POSTGRES_USER)
  return cachedUser
}

function lookupUser(name: string): OsUser | undefined {
  const uid = idOf(['-u', name])
  const gid = idOf(['-g', name])
  if (uid === undefined || gid === undefined) return undefined
  return { name, uid, gid }
}

function idOf(args: string[]): number | undefined {
  const result = spawnSync('id', args, { encoding: 'utf8' })
  if (result.status !== 0) return undefined
  const value = Number.parseInt(result.stdout.trim(), 10)
  return Number.isInteger(value) ? value : undefined
}

function createSystemUser(name: string): OsUser {
  const attempts: string[][] = [
    ['useradd', '--system', '--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', name],
    // BusyBox-based images (Alpine) have adduser instead of useradd.
    ['adduser', '-S', '-D', '-H', '-s', '/sbin/nologin', name],
  ]
  const failures: string[] = []
  for (const [command, ...args] of attempts) {
    if (command === undefined) continue
    const result = spawnSync(command, args, { encoding: 'utf8' })
    if (result.status === 0) {
      const created = lookupUser(name)
      if (created) return created
    }
    failures.push(`${command}: ${result.error?.message ?? (result.stderr.trim() || `exit ${result.status}`)}`)
  }
  throw new Error(
    `PostgreSQL refuses to run as root and there is no '${name}' OS user to run it as; ` +
      `creating one failed (${failures.join('; ')}). ` +
      `Create it by hand (useradd --system --no-create-home --user-group ${name}) or run the tests as a non-root user.`,
  )
}

/** Output of a finished command; `code` is null when it was killed by a signal. */
export interface CommandResult {
  code: number | null
  stdout: string
  stderr: string
  /** Set when the command could not be started at all (ENOENT, EACCES). */
  error?: Error
}

/**
 * Run a PostgreSQL server tool (initdb, pg_ctl, postgres) as the PostgreSQL OS user.
 * Never rejects: callers decide what a failure means and need the output either way.
 */
export function runAsPostgres(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { ...userOptions(), cwd: options.cwd ?? '/', timeout: options.timeoutMs ?? 120_000, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error && typeof error.code === 'number' ? error.code : error ? null : 0
        const spawnFailed = error && typeof error.code === 'string'
        resolve({ code: spawnFailed ? null : exitCode, stdout, stderr, ...(spawnFailed ? { error } : {}) })
      },
    )
  })
}

/** Synchronous twin of runAsPostgres, for process-exit paths where nothing async runs. */
export function runAsPostgresSync(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): CommandResult {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    ...userOptions(),
    cwd: options.cwd ?? '/',
    timeout: options.timeoutMs ?? 60_000,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', ...(result.error ? { error: result.error } : {}) }
}

/**
 * Spawn options that run a command as the PostgreSQL OS user. libuv drops root's
 * supplementary groups when uid/gid are set, so this is equivalent to `runuser -u postgres`
 * without depending on util-linux or PAM. The cwd defaults to / because the postgres user
 * usually cannot enter the caller's directory (initdb warns about it).
 */
function userOptions(): { uid?: number; gid?: number; env: NodeJS.ProcessEnv } {
  const user = postgresOsUser()
  const env = postgresEnv(process.env)
  if (!user) return { env }
  return { uid: user.uid, gid: user.gid, env: { ...env, HOME: '/', USER: user.name, LOGNAME: user.name } }
}

/**
 * The caller's PG* variables (PGPORT, PGDATA, PGHOST, ...) would silently change what
 * initdb and pg_ctl do, so the server tools never see them.
 */
function postgresEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('PG')) clean[key] = value
  }
  // Keep server messages in English: start failures are recognised by their text.
  clean.LC_ALL = 'C'
  clean.LANG = 'C'
  return clean
}

/** Give a directory to the PostgreSQL OS user when running as root; no-op otherwise. */
export function chownToPostgres(path: string): void {
  const user = postgresOsUser()
  if (user) chownSync(path, user.uid, user.gid)
}
