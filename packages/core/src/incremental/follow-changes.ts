import pg from 'pg'
import { setTimeout as sleep } from 'node:timers/promises'
import { replicationSlotName } from '../copy/index.js'
import { backoffMs, classifyFailure } from '../copy/classify-failure.js'
import { TokenBucket } from '../copy/token-bucket.js'
import type { TableToCopy } from '../copy/index.js'
import type { Database } from '../pg/index.js'
import { sessionOptions } from '../pg/index.js'
import type { MigrationSpec } from '../spec/index.js'
import {
  HOLD_CHANNEL,
  readCopyUnits,
  readHold,
  readReplication,
  recordHeld,
  recordReplicationProgress,
  setReplicationStatus,
} from '../state/index.js'
import { ChangeApplier } from './apply/change-applier.js'
import { decodeCapturedDdl, DdlScope, translateCapturedDdl, UnsupportedDdlError } from './ddl/index.js'
import type { DdlScopeData } from './ddl/index.js'
import type { AppliedBatch } from './apply/change-applier.js'
import { RouteResolver } from './apply/route-resolver.js'
import type { Cell, RowChange } from './apply/row-change.js'
import { RouteError } from './apply/table-route.js'
import type { TableRoute } from './apply/table-route.js'
import type { IncrementalEvent, IncrementalEventListener } from './incremental-event.js'
import { formatLsn, parseLsn, unixMsToPgTimestamp } from './pgoutput/index.js'
import type { PgoutputMessage, Tuple } from './pgoutput/index.js'
import { ReplicationStreamError } from './replication-stream-error.js'
import { openReplicationStream } from './replication-stream.js'
import type { ReplicationItem, ReplicationStream } from './replication-stream.js'
import { beat } from './source-objects.js'

/** When {@link followChanges} returns. */
export type FollowUntil =
  /** Once everything the source had committed a moment ago is applied (pipelines, tests). */
  | { readonly kind: 'caught-up' }
  /** Once the applied position passes `lsn` (cutover). */
  | { readonly kind: 'lsn'; readonly lsn: string }
  /** Until a stop request (cutover, abort) or the signal. */
  | { readonly kind: 'forever' }

export interface FollowChangesOptions {
  readonly source: Database
  readonly destination: Database
  readonly spec: MigrationSpec
  /** The selected leaf tables (see `selectCopyTables`). */
  readonly tables: readonly TableToCopy[]
  readonly until: FollowUntil
  /** Aborting stops at the next transaction boundary (SIGTERM): clean and resumable. */
  readonly signal?: AbortSignal
  readonly onEvent?: IncrementalEventListener
  /** How often the heartbeat is written and lag measured. Default 1 s. */
  readonly tickMs?: number
  /**
   * With DDL capture (options.ddl): the selection as DDL scope, used when the destination has
   * none stored yet (see `ddlScope`).
   */
  readonly scope?: DdlScope
}

export interface FollowResult {
  readonly reason: 'caught-up' | 'stop-requested' | 'signal'
  readonly appliedLsn: string
}

/** Why following stopped for good: retries exhausted, or a failure retrying cannot fix. */
export class FollowError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'FollowError'
  }
}

const LOST_CHANGES = /can no longer get changes|has been invalidated|has already been removed|publication .* does not exist/i

const MAX_BUFFERED_CHANGES = 20_000
const MAX_BATCH_TRANSACTIONS = 5_000
const MAX_BATCH_MS = 500

/**
 * The incremental phase: streams the migration's slot and applies each source transaction
 * exactly once (see {@link ChangeApplier}), acknowledging the source only for what the
 * destination holds durably. Connection failures on either side are retried with back-off for
 * `retry.connection`; a batch the destination rejects is re-applied one change at a time, in
 * order, then other failures are retried for `retry.other`. A vanished slot, a change for a
 * table the migration cannot route, or a decoder failure stop at once: retrying could only
 * diverge.
 */
export async function followChanges(options: FollowChangesOptions): Promise<FollowResult> {
  const migration = options.spec.metadata.name
  const skipBefore = await readSkipBefore(options.destination.pool, migration)
  const emit = (event: IncrementalEvent) => {
    try {
      options.onEvent?.(event)
    } catch {
      // listeners must not break the stream
    }
  }
  const failures = { kind: null as 'connection' | 'other' | null, since: 0, count: 0 }
  let orderedUntil = 0n
  for (;;) {
    const session = new FollowSession(options, skipBefore, emit, orderedUntil)
    try {
      const result = await session.run()
      return result
    } catch (error) {
      await session.abandon()
      if (isFatal(error)) throw error
      const kind = classifyFailure(error) === 'connection' || isStreamConnection(error) ? 'connection' : 'other'
      if (kind === 'other' && orderedUntil < session.receivedLsn) {
        // a batch the destination refused: apply it again change by change, in source order
        orderedUntil = session.receivedLsn
        emit({ type: 'retry', side: 'destination', attempt: 1, delayMs: 0, error: message(error) })
        continue
      }
      if (failures.kind !== kind || session.appliedSomething) {
        failures.kind = kind
        failures.since = Date.now()
        failures.count = 0
      }
      failures.count++
      const budget = kind === 'connection' ? options.spec.options.retry.connectionMs : options.spec.options.retry.otherMs
      if (Date.now() - failures.since > budget) {
        throw new FollowError(`incremental migration gave up after ${failures.count} attempts: ${message(error)}`, {
          cause: error,
        })
      }
      const delay = backoffMs(failures.count)
      const side = error instanceof ReplicationStreamError || session.failedOn === 'source' ? 'source' : 'destination'
      emit({ type: 'retry', side, attempt: failures.count, delayMs: delay, error: message(error) })
      await recordReplicationProgress(options.destination.pool, migration, {
        receivedLsn: null,
        sourceLsn: null,
        lagBytes: null,
        lagSeconds: null,
        lastError: message(error),
      }).catch(() => {})
      try {
        await sleep(delay, undefined, { signal: options.signal })
      } catch {
        const record = await readReplication(options.destination.pool, migration).catch(() => null)
        return { reason: 'signal', appliedLsn: record?.appliedLsn ?? '0/0' }
      }
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isStreamConnection(error: unknown): boolean {
  return error instanceof ReplicationStreamError && (error.code === 'CONNECTION_LOST' || error.code === 'SLOT_IN_USE')
}

function isFatal(error: unknown): boolean {
  if (error instanceof RouteError || error instanceof FollowError || error instanceof UnsupportedDdlError) return true
  // a defect in pgshift, not a condition that time fixes
  if (error instanceof TypeError || error instanceof RangeError) return true
  if (error instanceof ReplicationStreamError) {
    if (error.code === 'SLOT_NOT_FOUND' || error.code === 'SLOT_NOT_PGOUTPUT' || error.code === 'DECODE_FAILED') return true
    // the changes since the last acknowledgement are gone (an invalidated slot, removed WAL) or
    // can no longer be selected (the publication was dropped): only a new migration can help
    return error.code === 'SERVER_ERROR' && LOST_CHANGES.test(error.message)
  }
  return false
}

/** Per table, the oldest snapshot its copied units were taken under: older changes are in the rows. */
async function readSkipBefore(pool: pg.Pool, migration: string): Promise<Map<string, bigint>> {
  const client = await pool.connect()
  try {
    const units = await readCopyUnits(client, migration).catch(() => [])
    const oldest = new Map<string, bigint>()
    for (const unit of units) {
      if (unit.status !== 'done' || unit.snapshotLsn === null) continue
      const lsn = parseLsn(unit.snapshotLsn)
      const current = oldest.get(unit.tableId)
      if (current === undefined || lsn < current) oldest.set(unit.tableId, lsn)
    }
    return oldest
  } finally {
    client.release()
  }
}

interface PendingBeat {
  readonly beat: number
  readonly writtenAt: number
}

/** One connection's worth of following: a stream, a destination session, until it ends or fails. */
class FollowSession {
  readonly #options: FollowChangesOptions
  readonly #skipBefore: ReadonlyMap<string, bigint>
  #resolver: RouteResolver
  readonly #emit: (event: IncrementalEvent) => void
  /** Transactions ending at or before this position are applied one change at a time. */
  readonly #orderedUntil: bigint
  readonly #migration: string
  #stream: ReplicationStream | undefined
  #client: pg.Client | undefined
  #applier: ChangeApplier | undefined
  #origin: string | null = null
  #pendingRead: Promise<ReplicationItem | null> | undefined
  #applied = 0n
  #durable = 0n
  #acknowledged = 0n
  #skipping = false
  #transaction: { finalLsn: bigint; commitTime: bigint } | null = null
  #batchCommitTime: bigint | null = null
  #idleWalEnd = 0n
  #beats: PendingBeat[] = []
  #previousSourceLsn: bigint | null = null
  #lastTick = 0
  #lastDurableCheck = 0
  #caughtUpReported = false
  /** A validator's request to stop before a position (see `requestHold`), refreshed on notifications. */
  #hold: { token: string; lsn: bigint; until: number } | null = null
  #listener: pg.Client | undefined
  readonly #rowBucket: TokenBucket
  readonly #byteBucket: TokenBucket
  appliedSomething = false
  failedOn: 'source' | 'destination' | null = null

  constructor(
    options: FollowChangesOptions,
    skipBefore: ReadonlyMap<string, bigint>,
    emit: (event: IncrementalEvent) => void,
    orderedUntil: bigint,
  ) {
    this.#options = options
    this.#skipBefore = skipBefore
    this.#resolver = new RouteResolver(options.tables, skipBefore, null)
    this.#emit = emit
    this.#orderedUntil = orderedUntil
    this.#migration = options.spec.metadata.name
    this.#rowBucket = new TokenBucket(options.spec.options.throttle.incremental.rowsPerSecond)
    this.#byteBucket = new TokenBucket(options.spec.options.throttle.incremental.bytesPerSecond)
  }

  get receivedLsn(): bigint {
    return this.#stream?.receivedLsn ?? 0n
  }

  async run(): Promise<FollowResult> {
    const { destination, source } = this.#options
    const record = await readReplication(destination.pool, this.#migration)
    if (record === null) throw new FollowError(`migration ${this.#migration} has no incremental set-up on the destination`)
    if (record.status === 'cut-over' || record.status === 'aborted') {
      throw new FollowError(`migration ${this.#migration} was ${record.status === 'cut-over' ? 'cut over' : 'aborted'}: nothing to follow`)
    }
    this.#applied = parseLsn(record.appliedLsn)
    // the scope as of the stored position: replayed DDL rolled back with a batch is replayed again
    const scope =
      record.ddlScope != null ? new DdlScope(record.ddlScope as DdlScopeData) : (this.#options.scope ?? null)
    this.#resolver = new RouteResolver(this.#options.tables, this.#skipBefore, scope)
    this.#durable = this.#applied
    this.#acknowledged = this.#applied
    await this.#openDestination()
    this.failedOn = 'source'
    const slot = replicationSlotName(this.#migration)
    this.#stream = await openReplicationStream(source.url, {
      slot,
      publications: [record.publication],
      startLsn: this.#applied,
      // whole transactions in commit order: each is applied as it arrives, in bounded memory
      // (the server spills large ones to disk before sending them)
      protocolVersion: 1,
      applicationName: `pgshift apply ${this.#migration}`,
    })
    this.failedOn = null
    // the stream starts at the later of the stored position and the slot's: nothing before it
    // comes again, so lag is measured from there (not from 0/0 before the first batch)
    if (this.#stream.startLsn > this.#applied) {
      this.#applied = this.#stream.startLsn
      this.#durable = this.#applied
      this.#acknowledged = this.#applied
    }
    await setReplicationStatus(destination.pool, this.#migration, 'following')
    this.#emit({ type: 'streaming', slot, startLsn: formatLsn(this.#stream.startLsn), protocolVersion: 1 })
    await this.#tick()
    for (;;) {
      if (this.#options.signal?.aborted === true) return this.#stop('signal')
      const item = await this.#next(this.#applier?.isOpen === true || this.#hold !== null ? 50 : this.#tickMs())
      if (item === null) throw new ReplicationStreamError('CONNECTION_LOST', 'the source ended the replication stream')
      if (item !== 'timeout' && item.kind === 'message' && item.message.kind === 'begin') {
        if (this.#holdBlocks(item.message.finalLsn)) await this.#holdBefore(item.message.finalLsn)
      } else if (this.#hold !== null && this.#transaction === null) {
        // quiet source: a pause holds at once; a position holds once the server has sent past it
        const idleEnd = item !== 'timeout' && item.kind === 'keepalive' ? item.walEnd : this.#idleWalEnd
        if (this.#hold.lsn === 0n || (idleEnd >= this.#hold.lsn && (this.#stream?.bufferedItems ?? 0) === 0)) {
          await this.#holdBefore(null)
        }
      }
      if (item !== 'timeout') await this.#handle(item)
      if (this.#transaction === null && this.#shouldCommit()) await this.#commit()
      if (performance.now() - this.#lastTick >= this.#tickMs()) {
        const stop = await this.#tick()
        if (stop !== null) return this.#stop(stop)
      }
    }
  }

  #tickMs(): number {
    return this.#options.tickMs ?? 1000
  }

  async #openDestination(): Promise<void> {
    this.failedOn = 'destination'
    const { destination } = this.#options
    const client = new pg.Client({
      connectionString: destination.url.reveal(),
      application_name: `pgshift apply ${this.#migration}`,
      keepAlive: true,
      options: sessionOptions({ statement_timeout: '0', idle_in_transaction_session_timeout: '0', lock_timeout: '60s' }),
    })
    client.on('error', () => {})
    this.#client = client
    await client.connect()
    let ordered = false
    try {
      await client.query('SET session_replication_role = replica')
    } catch (error) {
      if ((error as { code?: string }).code !== '42501') throw error
      ordered = true
    }
    this.#origin = await setUpOrigin(client, replicationSlotName(this.#migration))
    // with an origin the acknowledged position is the origin's durably flushed one, so commits
    // need not wait for the disk; without one each commit must be durable before it is acknowledged
    await client.query(`SET synchronous_commit = ${this.#origin === null ? 'on' : 'off'}`)
    this.#applier = new ChangeApplier({
      client,
      source: this.#options.source.pool,
      resolver: this.#resolver,
      migration: this.#migration,
      origin: this.#origin,
      limits: { maxBufferedChanges: MAX_BUFFERED_CHANGES },
      orderedTables: ordered,
    })
    await this.#listen()
    this.failedOn = null
  }

  /** LISTENs for hold requests on a session of its own (the applying one sits in transactions). */
  async #listen(): Promise<void> {
    const listener = new pg.Client({
      connectionString: this.#options.destination.url.reveal(),
      application_name: `pgshift hold ${this.#migration}`,
      keepAlive: true,
      options: sessionOptions(),
    })
    listener.on('error', () => {})
    listener.on('notification', (notification) => {
      if (notification.payload === this.#migration) void this.#refreshHold()
    })
    this.#listener = listener
    await listener.connect()
    await listener.query(`LISTEN ${HOLD_CHANNEL}`)
    await this.#refreshHold()
  }

  async #refreshHold(): Promise<void> {
    const hold = await readHold(this.#options.destination.pool, this.#migration).catch(() => undefined)
    if (hold === undefined) return
    this.#hold = hold === null ? null : { token: hold.token, lsn: parseLsn(hold.lsn), until: hold.until.getTime() }
  }

  #holdBlocks(finalLsn: bigint): boolean {
    const hold = this.#hold
    return hold !== null && Date.now() < hold.until && finalLsn >= hold.lsn
  }

  /**
   * Stops before a transaction a hold request covers: the batch so far is committed (the
   * destination then holds exactly the source's transactions before the requested position),
   * the hold acknowledged, and nothing applied until the request is withdrawn, replaced by one
   * further on, or lapses.
   */
  async #holdBefore(finalLsn: bigint | null): Promise<void> {
    for (;;) {
      const hold = this.#hold
      if (hold === null || Date.now() >= hold.until) return
      if (finalLsn !== null && finalLsn < hold.lsn) return
      await this.#commit()
      await recordHeld(this.#options.destination.pool, this.#migration, hold.token, formatLsn(this.#applied))
      while (this.#hold?.token === hold.token && Date.now() < hold.until) {
        if (this.#options.signal?.aborted === true) return
        await sleep(10)
      }
      // held while idle: whether a new request is met must be judged from the stream again
      if (finalLsn === null) return
    }
  }

  /** The next stream item, or 'timeout' after `ms` (the pending read is kept for the next call). */
  async #next(ms: number): Promise<ReplicationItem | null | 'timeout'> {
    const stream = this.#stream
    if (stream === undefined) return null
    this.#pendingRead ??= stream.read()
    const pending = this.#pendingRead
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms)
    })
    try {
      const item = await Promise.race([pending, timeout])
      if (item !== 'timeout') this.#pendingRead = undefined
      return item
    } finally {
      clearTimeout(timer)
    }
  }

  async #handle(item: ReplicationItem): Promise<void> {
    if (item.kind === 'keepalive') {
      if (this.#transaction === null && this.#applier?.isOpen !== true && (this.#stream?.bufferedItems ?? 0) === 0) {
        this.#idleWalEnd = item.walEnd
        this.#acknowledgeIdle()
      }
      return
    }
    await this.#message(item.message)
  }

  async #message(message: PgoutputMessage): Promise<void> {
    const applier = this.#applier
    if (applier === undefined) return
    switch (message.kind) {
      case 'begin':
        this.#skipping = message.finalLsn < this.#applied
        this.#transaction = { finalLsn: message.finalLsn, commitTime: message.commitTime }
        this.#batchCommitTime ??= message.commitTime
        return
      case 'relation':
        this.#resolver.relation(message)
        return
      case 'commit':
        if (this.#transaction === null) return
        if (!this.#skipping) {
          this.failedOn = 'destination'
          await applier.endTransaction(message.endLsn, message.commitTime)
          this.failedOn = null
          if (message.endLsn <= this.#orderedUntil) {
            applier.compact = false
            await this.#commit()
          } else {
            applier.compact = true
          }
        }
        this.#transaction = null
        return
      case 'insert':
      case 'update':
      case 'delete':
        if (this.#skipping || this.#transaction === null) return
        await this.#rowChange(message)
        return
      case 'truncate': {
        if (this.#skipping || this.#transaction === null) return
        const routes: TableRoute[] = []
        for (const oid of message.relationOids) {
          const resolved = await this.#resolver.resolve(oid, this.#clientOrThrow())
          if (resolved.kind !== 'table') continue
          const { route } = resolved
          if (!route.operations.has('truncate') || this.#transaction.finalLsn < route.skipBefore) continue
          routes.push(route)
        }
        this.failedOn = 'destination'
        await applier.truncate(routes, message.restartIdentity)
        this.failedOn = null
        return
      }
      default:
        // origin, type and logical messages carry nothing to apply
        return
    }
  }

  async #rowChange(message: Extract<PgoutputMessage, { kind: 'insert' | 'update' | 'delete' }>): Promise<void> {
    const applier = this.#applier
    const transaction = this.#transaction
    if (applier === undefined || transaction === null) return
    this.failedOn = 'destination'
    const resolved = await this.#resolver.resolve(message.relationOid, this.#clientOrThrow())
    if (resolved.kind === 'heartbeat') {
      const row = named(resolved.relation.columns, message.kind === 'delete' ? null : message.new)
      if (row['migration'] === this.#migration && row['beat'] != null) applier.heartbeat(Number(row['beat']))
      // a transaction holding only a heartbeat still moves the applied position
      this.failedOn = null
      return
    }
    if (resolved.kind === 'ddl') {
      if (message.kind === 'insert') await this.#ddl(named(resolved.relation.columns, message.new))
      this.failedOn = null
      return
    }
    const { route } = resolved
    if (transaction.finalLsn < route.skipBefore || !route.operations.has(message.kind)) {
      this.failedOn = null
      return
    }
    const change = toRowChange(message)
    await this.#throttle(change)
    await applier.change(route, change)
    this.failedOn = null
  }

  /**
   * Replays a captured DDL statement at its place in the stream, inside the open batch, and
   * stores the selection it leaves with it. DDL the capture could not describe, or that
   * pgshift cannot replay, stops the stream naming the statement (UnsupportedDdlError).
   */
  async #ddl(row: Readonly<Record<string, string | null>>): Promise<void> {
    const applier = this.#applier
    const scope = this.#resolver.scope
    if (applier === undefined) return
    if (scope === null) {
      throw new FollowError('a captured DDL statement arrived, but this apply has no DDL scope (options.ddl is off)')
    }
    const captured = decodeCapturedDdl(row)
    const translation = await translateCapturedDdl(captured, scope)
    if (translation.kind === 'ignore') return
    await applier.execute([...translation.statements, 'SET LOCAL search_path TO DEFAULT'])
    applier.setDdlScope(translation.scope.toJSON())
    this.#resolver.setScope(translation.scope)
    this.#emit({ type: 'ddl', sourceStatement: captured.queryText, statements: translation.statements })
  }

  async #throttle(change: RowChange): Promise<void> {
    // the usual case: no throttle, and no per-change sizing on the apply path
    if (this.#rowBucket.unlimited && this.#byteBucket.unlimited) return
    const row = change.kind === 'delete' ? change.old : change.row
    const bytes = row.reduce<number>((sum, cell) => sum + (typeof cell === 'string' ? cell.length : 0), 0)
    const wait = Math.max(this.#rowBucket.take(1), this.#byteBucket.take(bytes))
    if (wait > 0) await sleep(wait)
  }

  #shouldCommit(): boolean {
    const applier = this.#applier
    if (applier === undefined || applier.transactions === 0) return false
    return (
      (this.#stream?.bufferedItems ?? 0) === 0 ||
      applier.changes >= MAX_BUFFERED_CHANGES ||
      applier.transactions >= MAX_BATCH_TRANSACTIONS ||
      performance.now() - applier.startedAt >= MAX_BATCH_MS
    )
  }

  async #commit(): Promise<void> {
    const applier = this.#applier
    if (applier === undefined) return
    this.failedOn = 'destination'
    const batch = await applier.commit()
    this.failedOn = null
    this.#batchCommitTime = null
    if (batch === null) return
    this.appliedSomething = true
    this.#applied = batch.endLsn
    if (batch.heartbeat !== null) {
      const applied = batch.heartbeat
      this.#beats = this.#beats.filter((pending) => pending.beat > applied)
    }
    this.#emitBatch(batch)
    if (this.#origin === null) {
      this.#durable = batch.endLsn
      this.#acknowledge(batch.endLsn)
    } else if (performance.now() - this.#lastDurableCheck > 200) {
      await this.#checkDurable()
    }
  }

  #emitBatch(batch: AppliedBatch): void {
    this.#emit({
      type: 'batch-applied',
      endLsn: formatLsn(batch.endLsn),
      transactions: batch.transactions,
      changes: batch.changes,
      tables: batch.tables,
      durationMs: batch.durationMs,
    })
  }

  /** With an origin: acknowledges what the destination has flushed to disk. */
  async #checkDurable(): Promise<void> {
    if (this.#origin === null || this.#client === undefined || this.#applier?.isOpen === true) return
    this.#lastDurableCheck = performance.now()
    const { rows } = await this.#client.query<{ lsn: string | null }>(
      'SELECT pg_catalog.pg_replication_origin_progress($1, true)::text AS lsn',
      [this.#origin],
    )
    const lsn = rows[0]?.lsn
    if (lsn != null) {
      this.#durable = parseLsn(lsn)
      this.#acknowledge(this.#durable)
    }
  }

  #acknowledge(lsn: bigint): void {
    if (lsn <= this.#acknowledged || this.#stream === undefined) return
    this.#stream.acknowledge(lsn)
    this.#acknowledged = lsn
  }

  /** Nothing pending and everything applied durable: the slot may move past quiet WAL. */
  #acknowledgeIdle(): void {
    if (this.#durable >= this.#applied && this.#idleWalEnd > this.#applied) this.#acknowledge(this.#idleWalEnd)
  }

  /**
   * Writes a heartbeat, measures lag, refreshes the state row, and says whether to stop:
   * caught up (everything the source had committed at the previous tick is applied), the
   * target LSN passed, or a stop requested by another process.
   */
  async #tick(): Promise<FollowResult['reason'] | null> {
    this.#lastTick = performance.now()
    await this.#refreshHold()
    const { source, destination, until } = this.#options
    await this.#checkDurable()
    this.#acknowledgeIdle()
    this.failedOn = 'source'
    const written = Date.now()
    const { rows } = await source.pool.query<{ lsn: string }>('SELECT pg_catalog.pg_current_wal_insert_lsn()::text AS lsn')
    const sourceLsn = parseLsn(rows[0]?.lsn ?? '0/0')
    const number = await beat(source.pool, this.#migration)
    this.failedOn = null
    const idle = this.#transaction === null && this.#applier?.isOpen !== true && (this.#stream?.bufferedItems ?? 0) === 0
    const confirmed = idle && this.#idleWalEnd > this.#applied ? this.#idleWalEnd : this.#applied
    const lagBytes = sourceLsn > confirmed ? Number(sourceLsn - confirmed) : 0
    const oldestCommit = this.#batchCommitTime ?? this.#transaction?.commitTime ?? null
    const busyLag = oldestCommit === null ? 0 : Math.max(0, Number(unixMsToPgTimestamp(written) - oldestCommit) / 1e6)
    const oldestBeat = this.#beats[0]
    const beatLag = oldestBeat === undefined ? 0 : (written - oldestBeat.writtenAt) / 1000
    const lagSeconds = Math.max(busyLag, beatLag)
    this.#beats.push({ beat: number, writtenAt: written })
    this.#emit({ type: 'lag', appliedLsn: formatLsn(this.#applied), sourceLsn: formatLsn(sourceLsn), lagBytes, lagSeconds })
    const caughtUp = this.#previousSourceLsn !== null && confirmed >= this.#previousSourceLsn
    this.#previousSourceLsn = sourceLsn
    const progress = await recordReplicationProgress(destination.pool, this.#migration, {
      receivedLsn: formatLsn(this.receivedLsn),
      sourceLsn: formatLsn(sourceLsn),
      lagBytes,
      lagSeconds,
      lastError: null,
    })
    if (caughtUp && !this.#caughtUpReported) {
      this.#caughtUpReported = true
      this.#emit({ type: 'caught-up', lagBytes, lagSeconds })
    }
    if (progress.stopRequested) return 'stop-requested'
    if (until.kind === 'caught-up' && caughtUp) return 'caught-up'
    if (until.kind === 'lsn' && confirmed >= parseLsn(until.lsn)) return 'caught-up'
    return null
  }

  /** Stops at a transaction boundary: commits complete work, drops a half-received transaction. */
  async #stop(reason: FollowResult['reason']): Promise<FollowResult> {
    const applier = this.#applier
    if (applier !== undefined) {
      if (this.#transaction === null) await this.#commit()
      else await applier.rollback()
    }
    await this.#checkDurable().catch(() => {})
    await setReplicationStatus(this.#options.destination.pool, this.#migration, 'stopped')
    this.#emit({ type: 'stopped', reason })
    await this.close()
    return { reason, appliedLsn: formatLsn(this.#applied) }
  }

  #clientOrThrow(): pg.Client {
    if (this.#client === undefined) throw new Error('the destination session is not open')
    return this.#client
  }

  /** After a failure: drops the open batch and both connections. */
  async abandon(): Promise<void> {
    await this.#applier?.rollback().catch(() => {})
    await this.close()
  }

  async close(): Promise<void> {
    const stream = this.#stream
    this.#stream = undefined
    await stream?.close().catch(() => {})
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
    const listener = this.#listener
    this.#listener = undefined
    await listener?.end().catch(() => {})
  }
}

/**
 * Sets the session up to record its progress in the replication origin named after the slot
 * (what PostgreSQL's own subscriptions do), creating the origin when missing. Needs superuser
 * (or execute rights on the origin functions); without, null: `pgshift.replication` alone
 * keeps the position.
 */
async function setUpOrigin(client: pg.Client, name: string): Promise<string | null> {
  try {
    await client.query(
      `SELECT pg_catalog.pg_replication_origin_create($1) WHERE pg_catalog.pg_replication_origin_oid($1) IS NULL`,
      [name],
    )
    await client.query('SELECT pg_catalog.pg_replication_origin_session_setup($1)', [name])
    return name
  } catch (error) {
    if ((error as { code?: string }).code === '42501') return null
    throw error
  }
}

function cells(tuple: Tuple): Cell[] {
  return tuple.map((value) =>
    value.kind === 'null'
      ? null
      : value.kind === 'unchanged_toast'
        ? undefined
        : value.kind === 'text'
          ? value.text
          : value.bytes.toString(),
  )
}

function toRowChange(message: Extract<PgoutputMessage, { kind: 'insert' | 'update' | 'delete' }>): RowChange {
  if (message.kind === 'insert') return { kind: 'insert', row: cells(message.new) }
  if (message.kind === 'update') {
    const old = message.old ?? message.key
    return { kind: 'update', row: cells(message.new), old: old === null ? null : cells(old) }
  }
  const old = message.old ?? message.key
  if (old === null) throw new RouteError('a DELETE arrived without its old key')
  return { kind: 'delete', old: cells(old) }
}

function named(
  columns: readonly { readonly name: string }[],
  tuple: Tuple | null,
): Record<string, string | null> {
  const row: Record<string, string | null> = {}
  if (tuple === null) return row
  columns.forEach((column, index) => {
    const value = tuple[index]
    row[column.name] = value?.kind === 'text' ? value.text : null
  })
  return row
}

