/**
 * The test suite runner: `npm test` (root) or `tsx ../../test/support/run-tests.ts packages/<name>`
 * (a package's test script).
 *
 *   tsx test/support/run-tests.ts [path ...] [--node-test-flag ...]
 *
 * Paths are files or directories relative to the workspace root (default: packages/*\/src
 * and test/), searched for *.test.ts. Arguments starting with `--` go to `node --test`
 * (e.g. `--test-name-pattern=copy`). It starts a source and a destination PostgreSQL
 * cluster, runs the files with node:test through tsx, and ends its output with the line
 * `N passed, M failed` (CI reads it). Environment: PGSHIFT_TEST_CONCURRENCY (files run in
 * parallel, default 3), PGSHIFT_TEST_TIMEOUT_MS (per test, default 300000: generous, since a loaded machine slows the cluster-heavy files),
 * PGSHIFT_PG_BINDIR (server binaries, see postgres-binaries.ts), PGSHIFT_TEST_TAP_FILE
 * (keep the TAP report at this path).
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { cleanupLeftoverClusters } from './cluster-registry.js'
import { DEFAULT_TEST_ROOTS, collectTestFiles } from './collect-test-files.js'
import { startCluster } from './local-cluster.js'
import type { LocalCluster } from './local-cluster.js'
import { findPostgresBinaries } from './postgres-binaries.js'
import { onProcessExit, runExitCleanups } from './process-cleanup.js'
import { parseTapSummary, summaryLine } from './tap-summary.js'
import { DESTINATION_URL_ENV, SOURCE_URL_ENV } from './test-databases.js'

// From the script's own location: packages run it with their directory as cwd.
const WORKSPACE_ROOT = resolve(__dirname, '..', '..')
const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, SIGPIPE: 141 }
const HANDLED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

async function main(argv: string[]): Promise<number> {
  const nodeFlags = argv.filter((arg) => arg.startsWith('--'))
  const explicitPaths = argv.filter((arg) => !arg.startsWith('--'))
  const roots = explicitPaths.length > 0 ? explicitPaths : DEFAULT_TEST_ROOTS
  const { files, missing } = collectTestFiles(WORKSPACE_ROOT, roots)

  if (missing.length > 0 && explicitPaths.length > 0) {
    log(`no such test file or directory (relative to ${WORKSPACE_ROOT}): ${missing.join(', ')}`)
    log(summaryLine(0, 0))
    return 1
  }
  if (files.length === 0) {
    if (explicitPaths.length > 0) {
      // A package without tests yet is fine; the whole workspace without tests is not.
      log(`note: no *.test.ts files under ${roots.join(', ')}; nothing to run`)
      log(summaryLine(0, 0))
      return 0
    }
    log(`error: no *.test.ts files under ${roots.join(', ')}`)
    log(summaryLine(0, 0))
    return 1
  }

  const leftovers = cleanupLeftoverClusters()
  for (const leftover of leftovers) {
    const what = leftover.skipped ? `could not remove: ${leftover.skipped}` : leftover.stoppedServer ? 'stopped and removed' : 'removed'
    log(`leftover test cluster of dead process ${leftover.ownerPid} at ${leftover.clusterDir}: ${what}`)
  }

  const reportDir = mkdtempSync(join(tmpdir(), 'pgshift-test-report-'))
  const removeReportDir = (): void => {
    if (!process.env.PGSHIFT_TEST_TAP_FILE) rmSync(reportDir, { recursive: true, force: true })
  }
  // Also when the runner dies of an uncaught error (EPIPE on a closed stdout, say).
  const forgetReportDir = onProcessExit(removeReportDir)
  const tapFile = process.env.PGSHIFT_TEST_TAP_FILE ? resolve(process.env.PGSHIFT_TEST_TAP_FILE) : join(reportDir, 'report.tap')
  const clusters: LocalCluster[] = []
  let child: ChildProcess | undefined
  let interruptedBy: NodeJS.Signals | undefined

  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruptedBy) return
    interruptedBy = signal
    log(`\n${signal}: stopping tests and test clusters`)
    // The tests run in their own process group (detached) so that they all get the signal.
    // Node ignores SIGPIPE, so that one is passed on as SIGTERM.
    if (child?.pid !== undefined && child.exitCode === null) killGroup(child.pid, signal === 'SIGPIPE' ? 'SIGTERM' : signal)
    if (!child) {
      // Still starting clusters: nothing to wait for.
      runExitCleanups()
      process.exit(SIGNAL_EXIT_CODES[signal] ?? 1)
    }
  }
  for (const signal of HANDLED_SIGNALS) process.on(signal, onSignal)
  // Whoever read our output went away (`npm test | head`): wind down as for SIGPIPE
  // instead of dying of an unhandled EPIPE with the tests still running.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    onSignal('SIGPIPE')
  })

  try {
    const started = performance.now()
    const binaries = findPostgresBinaries()
    const starts = await Promise.allSettled([
      startCluster({ name: 'source', bindir: binaries.bindir }),
      startCluster({ name: 'destination', bindir: binaries.bindir }),
    ])
    for (const start of starts) if (start.status === 'fulfilled') clusters.push(start.value)
    const [source, destination] = starts.map((start) => {
      if (start.status === 'rejected') throw start.reason
      return start.value
    })
    if (!source || !destination) throw new Error('cluster start returned nothing')
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    log(
      `pgshift tests: ${files.length} file(s); source PostgreSQL ${source.version} on ${source.host}:${source.port}, ` +
        `destination PostgreSQL ${destination.version} on ${destination.host}:${destination.port} ` +
        `(${binaries.source} binaries ${binaries.bindir}, started in ${seconds} s)`,
    )

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [SOURCE_URL_ENV]: source.superuserUrl(),
      [DESTINATION_URL_ENV]: destination.superuserUrl(),
      PGSHIFT_TEST_PG_BINDIR: binaries.bindir,
      PGSHIFT_TEST_PG_VERSION: binaries.version,
    }
    // Output goes through a pipe; keep the spec reporter's colours for a terminal.
    if (process.stdout.isTTY && env.NO_COLOR === undefined && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1'
    // tsx maps @pgshift/* to the packages' sources through tsconfig paths (cwd = workspace root).
    const args = [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${positiveInt('PGSHIFT_TEST_CONCURRENCY', 3)}`,
      `--test-timeout=${positiveInt('PGSHIFT_TEST_TIMEOUT_MS', 300_000)}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...nodeFlags,
      ...files.map((file) => relative(WORKSPACE_ROOT, file)),
    ]
    // A report left by an earlier run must not pass for this run's.
    rmSync(tapFile, { force: true })
    const childExit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit, rejectExit) => {
      child = spawn(process.execPath, args, { cwd: WORKSPACE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      // Piped rather than inherited: if this runner is SIGKILLed, the tests hit a broken
      // pipe and end instead of running on against clusters that the next run removes.
      child.stdout?.pipe(process.stdout, { end: false })
      child.stderr?.pipe(process.stderr, { end: false })
      child.once('error', rejectExit)
      child.once('close', (code, signal) => resolveExit({ code, signal }))
    })

    let tap: string | undefined
    try {
      tap = readFileSync(tapFile, 'utf8')
    } catch (error) {
      log(`error: cannot read the TAP report ${tapFile}: ${(error as Error).message}`)
    }
    const summary = tap === undefined ? undefined : parseTapSummary(tap)
    await stopAll(clusters)

    if (interruptedBy) {
      log(`interrupted by ${interruptedBy}`)
      log(summary ? summaryLine(summary.pass, summary.fail + summary.cancelled, summary.skipped + summary.todo) : summaryLine(0, 0))
      return SIGNAL_EXIT_CODES[interruptedBy] ?? 1
    }
    if (!summary) {
      if (tap !== undefined) log(`error: no '# pass' / '# fail' summary in the TAP report ${tapFile}`)
      log(`node --test ended with ${childExit.signal ?? `exit code ${childExit.code}`}`)
      log(summaryLine(0, 0))
      return 1
    }
    const failed = summary.fail + summary.cancelled
    let status = failed > 0 ? 1 : 0
    if (summary.pass + failed === 0) {
      log('error: no test ran')
      status = 1
    }
    if (status === 0 && childExit.code !== 0) {
      // The report looks clean but node --test failed (e.g. a crash after the last test).
      log(`error: node --test ended with ${childExit.signal ?? `exit code ${childExit.code}`}`)
      status = 1
    }
    log(summaryLine(summary.pass, failed, summary.skipped + summary.todo))
    return status
  } finally {
    await stopAll(clusters)
    removeReportDir()
    forgetReportDir()
  }
}

async function stopAll(clusters: LocalCluster[]): Promise<void> {
  const results = await Promise.allSettled(clusters.map((cluster) => cluster.stop()))
  for (const result of results) {
    if (result.status === 'rejected') log(`warning: stopping a test cluster failed: ${(result.reason as Error).message}`)
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
  // Whatever ignores the polite signal does not get to keep the clusters busy.
  setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }, 10_000).unref()
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`)
  return value
}

function log(line: string): void {
  process.stdout.write(`${line}\n`)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    log(summaryLine(0, 0))
    process.exitCode = 1
  },
)
