import { quoteQualifiedName } from '@pgshift/schema-diff'
import pg from 'pg'
import type { Database } from '../pg/index.js'
import { sessionOptions } from '../pg/index.js'
import type { MigrationSpec } from '../spec/index.js'
import {
  ensureStateSchema,
  finishRun,
  readCopyUnits,
  recordCopyUnitAttempt,
  registerCopyUnits,
  resetCopyUnits,
  startRun,
} from '../state/index.js'
import type { CopyUnitRegistration } from '../state/index.js'
import { backoffMs, classifyFailure, failureCode } from './classify-failure.js'
import { ProgressRecorder } from './progress-recorder.js'
import type { FailureKind } from './classify-failure.js'
import type { CopyEvent, CopyEventListener } from './copy-event.js'
import type { CopyPlan, CopyTable } from './copy-plan.js'
import type { CopySnapshot } from './copy-snapshot.js'
import { copyUnit } from './copy-unit.js'
import type { RunnableUnit } from './copy-unit.js'
import { FullCopyError } from './full-copy-error.js'
import { openCopySession } from './open-copy-session.js'
import { SnapshotKeeper } from './snapshot-keeper.js'
import { TokenBucket } from './token-bucket.js'

/** Inputs of {@link runFullCopy}. */
export interface RunFullCopyOptions {
  readonly source: Database
  readonly destination: Database
  readonly spec: MigrationSpec
  /** From {@link planCopyUnits}; ranges already registered by an earlier run win over it. */
  readonly plan: CopyPlan
  readonly onEvent?: CopyEventListener
}

/** How one unit ended in this run. */
export interface UnitOutcome {
  readonly unitId: string
  readonly tableId: string
  /** skipped: done by an earlier run. */
  readonly status: 'copied' | 'skipped' | 'failed'
  readonly rows: number | null
  readonly bytes: number | null
  /** Attempts made in this run. */
  readonly attempts: number
  readonly error?: unknown
}

/** What a full copy did. */
export interface FullCopyResult {
  /** The `pgshift.runs` row, or null when every unit was already done. */
  readonly runId: number | null
  /** The snapshot the run started with, or null when there was nothing to copy. */
  readonly snapshot: { readonly name: string; readonly lsn: string | null; readonly slotName: string | null } | null
  /** In queue order. */
  readonly units: readonly UnitOutcome[]
  /** Rows and bytes copied in this run. */
  readonly rows: number
  readonly bytes: number
  readonly durationMs: number
}

interface QueuedUnit extends RunnableUnit {
  readonly done: boolean
  readonly attempts: number
  readonly order: number
}

/**
 * Copies the planned tables from source to destination (spec types `full`): every unit of the
 * plan that is not done yet, `options.parallel.tables` at a time, largest first, all under one
 * exported snapshot of the source (tied to the migration's replication slot when the spec also
 * migrates incrementally). Each unit commits its rows together with its done-mark in
 * `pgshift.copy_units`, so whenever the process dies, re-running copies exactly what is
 * missing. Failures are retried with back-off, a whole unit at a time: connection failures for
 * `retry.connection`, others for `retry.other`. Throttles from `throttle.full` apply to all
 * workers together. Two runs of one migration exclude each other (advisory lock on the
 * destination).
 *
 * Resolves when every unit is done; rejects with {@link FullCopyError} (carrying the
 * {@link FullCopyResult}) when some could not be, after the others were finished.
 *
 * @example
 * const plan = await prepareCopyPlan(source, destination, spec)
 * await runFullCopy({ source, destination, spec, plan, onEvent: (event) => log(event) })
 */
export async function runFullCopy(options: RunFullCopyOptions): Promise<FullCopyResult> {
  const { spec, plan } = options
  const started = performance.now()
  const migration = spec.metadata.name
  const clear = spec.conflicts === 'fail'
  const progress = new ProgressRecorder(migration)
  const emit = (event: CopyEvent) => {
    progress.observe(event)
    try {
      options.onEvent?.(event)
    } catch {
      // a listener's failure must not abort the copy
    }
  }
  const coordinator = new pg.Client({
    connectionString: options.destination.url.reveal(),
    application_name: 'pgshift copy coordinator',
    keepAlive: true,
    options: sessionOptions({ lock_timeout: '60s' }),
  })
  coordinator.on('error', () => {})
  await coordinator.connect()
  const keeper = new SnapshotKeeper(options.source.url, {
    migration,
    withSlot: spec.types.includes('incremental'),
  })
  try {
    await ensureStateSchema(coordinator)
    await lockMigration(coordinator, migration)
    // with incremental, a table's ranges under different snapshots get the changes between those
    // snapshots replayed; upserts make that converge, plain inserts into a table without a key
    // (copied in page ranges) would duplicate rows: such a table is copied anew, whole
    const units = await registerUnits(coordinator, migration, plan, clear, clear && spec.types.includes('incremental'))
    const outcomes = new Map<string, UnitOutcome>()
    for (const unit of units.filter((candidate) => candidate.done)) {
      outcomes.set(unit.id, outcome(unit, 'skipped'))
      emit({ type: 'unit-skipped', unitId: unit.id })
    }
    const queue = units.filter((unit) => !unit.done)
    if (queue.length === 0) return result(null, null, units, outcomes, started)

    const snapshot = await keeper.current()
    const runId = await startRun(coordinator, {
      migration,
      phase: 'full',
      snapshotName: snapshot.name,
      snapshotLsn: snapshot.lsn,
      slotName: snapshot.slotName,
    })
    const copier = new UnitCopier({
      options,
      migration,
      runId,
      clear,
      keeper,
      emit,
      rowBucket: new TokenBucket(spec.options.throttle.full.rowsPerSecond),
      byteBucket: new TokenBucket(spec.options.throttle.full.bytesPerSecond),
    })
    const workers = Math.max(1, Math.min(spec.options.parallel.tables, queue.length))
    progress.start(coordinator)
    await Promise.all(
      Array.from({ length: workers }, async () => {
        const sessions = copier.sessions()
        try {
          for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
            outcomes.set(unit.id, await copier.copy(unit, sessions))
          }
        } finally {
          await sessions.discard()
        }
      }),
    )
    const copied = result(runId, snapshot, units, outcomes, started)
    const failed = copied.units.some((unit) => unit.status === 'failed')
    const error = failed ? new FullCopyError(copied) : undefined
    // a lost coordinator session must not hide the outcome: the units carry the truth anyway
    await finishRun(coordinator, runId, failed ? 'failed' : 'done', error?.message).catch(() => {})
    if (error !== undefined) throw error
    return copied
  } finally {
    await progress.stop()
    await keeper.close()
    // ending the session releases the advisory lock
    await coordinator.end().catch(() => {})
  }
}

async function lockMigration(client: pg.Client, migration: string): Promise<void> {
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('pgshift'), hashtext($1))`, [migration])
  } catch (error) {
    if (failureCode(error) !== '55P03') throw error
    throw new Error(
      `another pgshift run of migration ${migration} is copying into this destination (it holds the migration's lock)`,
      { cause: error },
    )
  }
}

/**
 * Registers the plan's units of tables not registered yet and returns the queue. A table
 * registered by an earlier run keeps its ranges, so its done units stay valid. A split table
 * is truncated when its ranges are registered (same transaction): from then on its rows in
 * the destination are exactly those of its done ranges.
 */
async function registerUnits(
  client: pg.Client,
  migration: string,
  plan: CopyPlan,
  clear: boolean,
  oneSnapshotForPageRanges: boolean,
): Promise<QueuedUnit[]> {
  const records = await readCopyUnits(client, migration)
  const order = new Map(plan.units.map((unit, index) => [unit.id, index]))
  const queue: QueuedUnit[] = []
  const registrations: CopyUnitRegistration[] = []
  const splitTables: CopyTable[] = []
  const restarted: CopyTable[] = []
  for (const table of plan.tables) {
    const stored = records.filter((record) => record.tableId === table.tableId)
    const destinationTable = quoteQualifiedName(table.destination.schema, table.destination.name)
    if (stored.length > 0) {
      const pageRanges = stored.length > 1 && stored.every((record) => record.destinationPredicate === null)
      const partly = stored.some((record) => record.status === 'done') && stored.some((record) => record.status !== 'done')
      const restart = oneSnapshotForPageRanges && pageRanges && partly
      if (restart) restarted.push(table)
      for (const record of stored) {
        queue.push({
          id: record.unitId,
          table,
          sourcePredicate: record.rangePredicate,
          destinationPredicate: record.destinationPredicate,
          done: record.status === 'done' && !restart,
          attempts: record.attempts,
          order: order.get(record.unitId) ?? plan.units.length,
        })
      }
      continue
    }
    const units = plan.units.filter((unit) => unit.tableId === table.tableId)
    if (units.length > 1) splitTables.push(table)
    for (const unit of units) {
      registrations.push({
        unitId: unit.id,
        tableId: table.tableId,
        destinationTable,
        rangePredicate: unit.sourcePredicate,
        destinationPredicate: unit.destinationPredicate,
        estimatedRows: unit.estimatedRows,
        estimatedBytes: unit.estimatedBytes,
      })
      queue.push({ ...unit, table, done: false, attempts: 0, order: order.get(unit.id) ?? plan.units.length })
    }
  }
  if (registrations.length > 0 || restarted.length > 0) {
    await client.query('BEGIN')
    try {
      await registerCopyUnits(client, migration, registrations)
      for (const table of restarted) await resetCopyUnits(client, migration, table.tableId)
      if (clear) {
        for (const table of [...splitTables, ...restarted]) {
          await client.query(`TRUNCATE ONLY ${quoteQualifiedName(table.destination.schema, table.destination.name)}`)
        }
      }
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    }
  }
  return queue.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function result(
  runId: number | null,
  snapshot: CopySnapshot | null,
  units: readonly QueuedUnit[],
  outcomes: ReadonlyMap<string, UnitOutcome>,
  started: number,
): FullCopyResult {
  const list = units.map(
    (unit): UnitOutcome => outcomes.get(unit.id) ?? { ...outcome(unit, 'failed'), error: new Error('not run') },
  )
  const copied = list.filter((unit) => unit.status === 'copied')
  return {
    runId,
    snapshot: snapshot === null ? null : { name: snapshot.name, lsn: snapshot.lsn, slotName: snapshot.slotName },
    units: list,
    rows: copied.reduce((sum, unit) => sum + (unit.rows ?? 0), 0),
    bytes: copied.reduce((sum, unit) => sum + (unit.bytes ?? 0), 0),
    durationMs: Math.round(performance.now() - started),
  }
}

interface CopierContext {
  readonly options: RunFullCopyOptions
  readonly migration: string
  readonly runId: number
  readonly clear: boolean
  readonly keeper: SnapshotKeeper
  readonly emit: (event: CopyEvent) => void
  readonly rowBucket: TokenBucket
  readonly byteBucket: TokenBucket
}

/** A worker's pair of sessions, opened lazily and thrown away after any failure. */
interface Sessions {
  get(): Promise<{ source: pg.Client; destination: pg.Client }>
  discard(): Promise<void>
}

/** Copies units for the run; each concurrent loop holds its own {@link Sessions}. */
class UnitCopier {
  readonly #context: CopierContext
  #warned = false

  constructor(context: CopierContext) {
    this.#context = context
  }

  sessions(): Sessions {
    const { options } = this.#context
    let open: Promise<{ source: pg.Client; destination: pg.Client }> | undefined
    const warn = (warning: { code: string; message: string }) => {
      if (this.#warned) return
      this.#warned = true
      this.#context.emit({ type: 'warning', ...warning })
    }
    return {
      get: () => {
        open ??= (async () => {
          const [source, destination] = await Promise.allSettled([
            openCopySession(options.source.url, 'source', warn),
            openCopySession(options.destination.url, 'destination', warn),
          ])
          if (source.status === 'fulfilled' && destination.status === 'fulfilled') {
            return { source: source.value, destination: destination.value }
          }
          for (const side of [source, destination]) if (side.status === 'fulfilled') await endQuickly(side.value)
          open = undefined
          throw source.status === 'rejected' ? source.reason : (destination as PromiseRejectedResult).reason
        })()
        return open
      },
      discard: async () => {
        const current = open
        open = undefined
        const clients = await current?.catch(() => undefined)
        if (clients !== undefined) await Promise.all([endQuickly(clients.source), endQuickly(clients.destination)])
      },
    }
  }

  /** Copies one unit, retrying it whole until its retry budget is spent. */
  async copy(unit: QueuedUnit, sessions: Sessions): Promise<UnitOutcome> {
    const { emit, migration, options } = this.#context
    const retry = options.spec.options.retry
    const firstFailure: Partial<Record<FailureKind, number>> = {}
    const failures: Record<FailureKind, number> = { connection: 0, other: 0 }
    for (let attempt = 1; ; attempt++) {
      const started = performance.now()
      emit({ type: 'unit-started', unitId: unit.id, tableId: unit.table.tableId, attempt })
      let snapshot: CopySnapshot | undefined
      try {
        const { source, destination } = await sessions.get()
        snapshot = await this.#context.keeper.current()
        const previousAttempts = await recordCopyUnitAttempt(destination, migration, unit.id)
        const copied = await copyUnit({
          source,
          destination,
          migration,
          runId: this.#context.runId,
          unit,
          snapshot,
          clear: this.#context.clear,
          previousAttempts,
          meter: {
            rowBucket: this.#context.rowBucket,
            byteBucket: this.#context.byteBucket,
            onProgress: (rows, bytes) => emit({ type: 'unit-progress', unitId: unit.id, rows, bytes }),
          },
        })
        if (copied === null) {
          emit({ type: 'unit-skipped', unitId: unit.id })
          return { ...outcome(unit, 'skipped'), attempts: attempt }
        }
        emit({ type: 'unit-done', unitId: unit.id, ...copied, durationMs: Math.round(performance.now() - started) })
        return { ...outcome(unit, 'copied'), ...copied, attempts: attempt }
      } catch (error) {
        await sessions.discard()
        const lostSnapshot = snapshot !== undefined && (snapshot.isLost || isInvalidSnapshot(error))
        if (lostSnapshot && snapshot !== undefined) await this.#context.keeper.discard(snapshot)
        // a snapshot that vanished went with its session: a connection failure
        const kind = lostSnapshot ? 'connection' : classifyFailure(error)
        const now = performance.now()
        const since = (firstFailure[kind] ??= now)
        failures[kind]++
        const delayMs = backoffMs(failures[kind])
        const budget = kind === 'connection' ? retry.connectionMs : retry.otherMs
        if (now - since + delayMs > budget) {
          emit({
            type: 'unit-failed',
            unitId: unit.id,
            tableId: unit.table.tableId,
            attempts: attempt,
            kind,
            cause: error instanceof Error ? error.message : String(error),
            code: failureCode(error),
          })
          return { ...outcome(unit, 'failed'), attempts: attempt, error }
        }
        emit({
          type: 'retry',
          unitId: unit.id,
          attempt,
          delayMs,
          kind,
          cause: error instanceof Error ? error.message : String(error),
          code: failureCode(error),
        })
        await new Promise((resolve) => setTimeout(resolve, delayMs))
      }
    }
  }
}

function outcome(unit: QueuedUnit, status: UnitOutcome['status']): UnitOutcome {
  return { unitId: unit.id, tableId: unit.table.tableId, status, rows: null, bytes: null, attempts: 0 }
}

function isInvalidSnapshot(error: unknown): boolean {
  return failureCode(error) === '22023' && /snapshot/i.test((error as Error).message)
}

// a session that failed mid-COPY may never answer a polite goodbye
async function endQuickly(client: pg.Client): Promise<void> {
  const ended = client.end().catch(() => {})
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 2_000).unref())
  if ((await Promise.race([ended, timeout])) === 'timeout') {
    const socket = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream
    socket?.destroy()
  }
}
