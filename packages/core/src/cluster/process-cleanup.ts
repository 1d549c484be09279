/**
 * Last-resort cleanup for resources that outlive the process otherwise (PostgreSQL servers
 * are daemonised by pg_ctl and keep running when Node dies). Cleanups run synchronously
 * on 'exit', on SIGINT/SIGTERM/SIGHUP, and on an uncaught error that is about to kill the
 * process. Only SIGKILL escapes; cluster-registry handles that on the next run.
 */

type Cleanup = () => void

const cleanups = new Map<symbol, Cleanup>()
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
let installed = false

/** Register a synchronous cleanup; returns a function that unregisters it (after a normal stop). */
export function onProcessExit(cleanup: Cleanup): () => void {
  install()
  const key = Symbol('cleanup')
  cleanups.set(key, cleanup)
  return () => {
    cleanups.delete(key)
  }
}

/** Run and forget every registered cleanup now. Each runs at most once. */
export function runExitCleanups(): void {
  const pending = [...cleanups.values()]
  cleanups.clear()
  for (const cleanup of pending) {
    try {
      cleanup()
    } catch (error) {
      process.stderr.write(`pgshift cleanup failed: ${(error as Error).message}\n`)
    }
  }
}

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', runExitCleanups)
  for (const signal of SIGNALS) process.on(signal, onSignal)
  // 'exit' does not fire when an uncaught error kills the process. The monitor sees the
  // error without changing whether it is fatal; under node:test an uncaughtException
  // listener turns it into a test failure and the process lives on, so leave things running then.
  process.on('uncaughtExceptionMonitor', () => {
    if (process.listenerCount('uncaughtException') === 0) runExitCleanups()
  })
}

function onSignal(signal: NodeJS.Signals): void {
  runExitCleanups()
  // If someone else also listens (the suite runner does), they decide how to exit.
  if (process.listenerCount(signal) > 1) return
  for (const each of SIGNALS) process.removeListener(each, onSignal)
  // Die from the same signal so the parent sees the usual status.
  process.kill(process.pid, signal)
}
