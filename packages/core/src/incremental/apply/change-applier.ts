import type pg from 'pg'
import { recordDdlScope } from '../../state/index.js'
import { appliedBatchStatements } from '../../state/replication-records.js'
import type { TableBatchCounts } from '../incremental-event.js'
import { formatLsn } from '../pgoutput/index.js'
import { pgTimestampToDate } from '../pgoutput/index.js'
import { truncateStatement } from './change-statements.js'
import { flushStatements } from './flush-statements.js'
import { inlineStatement, sqlLiteral } from './inline-statement.js'
import { filterChanges } from './row-filter.js'
import type { RowChange, Statement } from './row-change.js'
import type { RouteResolver } from './route-resolver.js'
import type { TableRoute } from './table-route.js'

/** Limits that keep a batch's memory bounded whatever the size of a source transaction. */
export interface ApplierLimits {
  /** Buffered changes (all tables) before they are written into the open destination transaction. */
  readonly maxBufferedChanges: number
}

interface TableBuffer {
  readonly route: TableRoute
  changes: RowChange[]
}

type MutableCounts = { -readonly [K in keyof TableBatchCounts]: TableBatchCounts[K] }

/** What one committed batch held. */
export interface AppliedBatch {
  readonly endLsn: bigint
  readonly commitTime: bigint
  readonly transactions: number
  readonly changes: number
  readonly tables: readonly TableBatchCounts[]
  readonly heartbeat: number | null
  readonly durationMs: number
}

/**
 * Applies decoded changes to the destination in transactions that each hold whole source
 * transactions and end by recording the last one's end LSN in `pgshift.replication` (and the
 * replication origin when there is one): the destination's data and its stored position
 * always agree, so a restart resumes exactly after the last committed batch.
 *
 * Changes wait in per-table buffers and are written when the batch commits or the buffers
 * reach `maxBufferedChanges` (still inside the open transaction: a huge source transaction
 * streams through in bounded memory). `compact` picks net-effect batching (see
 * `flushStatements`); with `orderedTables` (foreign keys and triggers live, when the
 * destination refused `session_replication_role = replica`) a table's buffer is written
 * before another table's changes are buffered, keeping the source's order across tables.
 */
export class ChangeApplier {
  readonly #client: pg.Client
  readonly #source: pg.Pool
  readonly #resolver: RouteResolver
  readonly #migration: string
  readonly #origin: string | null
  readonly #limits: ApplierLimits
  readonly #orderedTables: boolean
  #compact = true
  #open = false
  /** Whether BEGIN went out: a batch whose changes all wait in the buffers has not sent it yet. */
  #begun = false
  #buffers = new Map<number, TableBuffer>()
  #buffered = 0
  #counts = new Map<string, MutableCounts>()
  #transactions = 0
  #changes = 0
  #endLsn = 0n
  #commitTime = 0n
  #heartbeat: number | null = null
  #ddlScope: unknown = undefined
  #startedAt = 0
  #lastTable: number | null = null

  constructor(options: {
    readonly client: pg.Client
    readonly source: pg.Pool
    readonly resolver: RouteResolver
    readonly migration: string
    /** The replication origin set up on the client's session, or null. */
    readonly origin: string | null
    readonly limits: ApplierLimits
    readonly orderedTables: boolean
  }) {
    this.#client = options.client
    this.#source = options.source
    this.#resolver = options.resolver
    this.#migration = options.migration
    this.#origin = options.origin
    this.#limits = options.limits
    this.#orderedTables = options.orderedTables
  }

  /** Net-effect batching on (default) or off (each change its own statement, in order). */
  set compact(value: boolean) {
    this.#compact = value
  }

  /** Complete source transactions in the open batch. */
  get transactions(): number {
    return this.#transactions
  }

  /** Changes in the open batch (applied or buffered). */
  get changes(): number {
    return this.#changes
  }

  /** When the open batch started (performance.now()), or 0. */
  get startedAt(): number {
    return this.#startedAt
  }

  get isOpen(): boolean {
    return this.#open
  }

  /** Opens the batch; BEGIN itself waits until a statement must run before the commit. */
  #begin(): void {
    if (this.#open) return
    this.#open = true
    this.#startedAt = performance.now()
  }

  async #sendBegin(): Promise<void> {
    if (this.#begun) return
    await this.#client.query('BEGIN')
    this.#begun = true
  }

  /** Buffers one row change of a routed table. */
  async change(route: TableRoute, change: RowChange): Promise<void> {
    this.#begin()
    if (this.#orderedTables && this.#lastTable !== null && this.#lastTable !== route.relationOid) await this.flush()
    this.#lastTable = route.relationOid
    let buffer = this.#buffers.get(route.relationOid)
    if (buffer === undefined || buffer.route !== route) {
      if (buffer !== undefined) await this.#flushTable(buffer)
      buffer = { route, changes: [] }
      this.#buffers.set(route.relationOid, buffer)
    }
    buffer.changes.push(change)
    this.#buffered++
    this.#changes++
    const counts = this.#countsOf(route.tableId)
    if (change.kind === 'insert') counts.inserts++
    else if (change.kind === 'update') counts.updates++
    else counts.deletes++
    if (this.#buffered >= this.#limits.maxBufferedChanges) await this.flush()
  }

  /** Empties the routed tables, in order with the changes around it. */
  async truncate(routes: readonly TableRoute[], restartIdentity: boolean): Promise<void> {
    if (routes.length === 0) return
    this.#begin()
    await this.flush()
    await this.#run([truncateStatement(routes, restartIdentity)])
    this.#changes++
    for (const route of routes) this.#countsOf(route.tableId).truncates++
  }

  /** Runs statements (replayed DDL) in order with the changes around them. */
  async execute(statements: readonly string[]): Promise<void> {
    this.#begin()
    await this.flush()
    await this.#run(statements.map((text) => ({ text, values: [] })))
    this.#changes++
  }

  /**
   * The DDL scope replayed DDL left, written with the batch's position when it commits (not
   * at once: the state row must not stay locked by an open batch while the loop updates its
   * progress from another session).
   */
  setDdlScope(scope: unknown): void {
    this.#ddlScope = scope
  }

  /** Notes the latest heartbeat seen in the batch. */
  heartbeat(beat: number): void {
    this.#heartbeat = Math.max(this.#heartbeat ?? 0, beat)
  }

  /** A source transaction ended: the batch now includes it. */
  async endTransaction(endLsn: bigint, commitTime: bigint): Promise<void> {
    this.#begin()
    this.#transactions++
    this.#endLsn = endLsn
    this.#commitTime = commitTime
  }

  /** Writes every buffered change into the open transaction. */
  async flush(): Promise<void> {
    await this.#run(await this.#drainBuffers())
  }

  /** The statements of every buffered change, in table order; the buffers are emptied. */
  async #drainBuffers(): Promise<Statement[]> {
    const statements: Statement[] = []
    for (const buffer of this.#buffers.values()) statements.push(...(await this.#tableStatements(buffer)))
    this.#buffers.clear()
    this.#buffered = 0
    return statements
  }

  async #flushTable(buffer: TableBuffer): Promise<void> {
    await this.#run(await this.#tableStatements(buffer))
  }

  async #tableStatements(buffer: TableBuffer): Promise<Statement[]> {
    if (buffer.changes.length === 0) return []
    const { route } = buffer
    let changes: readonly RowChange[] = buffer.changes
    buffer.changes = []
    if (route.whereSql !== null) {
      const types = await this.#resolver.sourceTypes(route.relationOid, this.#source)
      changes = await filterChanges(this.#source, route, types, changes)
    }
    return flushStatements(route, changes, this.#compact)
  }

  async #run(statements: readonly Statement[]): Promise<void> {
    if (statements.length === 0) return
    await this.#sendBegin()
    for (const statement of statements) {
      await this.#client.query(statement.text, statement.values as (string | null)[])
    }
  }

  /**
   * Commits the batch with its position. Returns what it held, or null when it held no
   * complete transaction (nothing to commit).
   */
  async commit(): Promise<AppliedBatch | null> {
    if (!this.#open || this.#transactions === 0) return null
    const statements = await this.#drainBuffers()
    const endLsn = formatLsn(this.#endLsn)
    const commitTime = pgTimestampToDate(this.#commitTime)
    const tables = [...this.#counts.values()].sort((a, b) => (a.tableId < b.tableId ? -1 : 1))
    if (this.#ddlScope !== undefined) {
      await this.#sendBegin()
      await recordDdlScope(this.#client, this.#migration, this.#ddlScope)
    }
    // the changes, the position and COMMIT in one simple-protocol query: one round trip per
    // batch, which is what bounds the lag of a light load (each round trip waits for the
    // destination backend to be scheduled); a failure anywhere aborts the whole transaction
    const parts = this.#begun ? [] : ['BEGIN']
    for (const statement of statements) parts.push(inlineStatement(statement))
    if (this.#origin !== null) {
      parts.push(
        `SELECT pg_catalog.pg_replication_origin_xact_setup(${sqlLiteral(endLsn)}::pg_lsn, ${sqlLiteral(commitTime.toISOString())}::timestamptz)`,
      )
    }
    const record = {
      endLsn,
      commitTime,
      transactions: this.#transactions,
      changes: this.#changes,
      tables: new Map(tables.map(({ tableId, ...counts }) => [tableId, counts])),
    }
    for (const statement of appliedBatchStatements(this.#migration, record)) parts.push(inlineStatement(statement))
    parts.push('COMMIT')
    this.#begun = true
    await this.#client.query(parts.join(';\n'))
    const batch: AppliedBatch = {
      endLsn: this.#endLsn,
      commitTime: this.#commitTime,
      transactions: this.#transactions,
      changes: this.#changes,
      tables,
      heartbeat: this.#heartbeat,
      durationMs: Math.round(performance.now() - this.#startedAt),
    }
    this.#reset()
    return batch
  }

  /** Throws the open batch away (it was never acknowledged: the source sends it again). */
  async rollback(): Promise<void> {
    const wasBegun = this.#begun
    this.#reset()
    if (wasBegun) await this.#client.query('ROLLBACK').catch(() => {})
  }

  #reset(): void {
    this.#open = false
    this.#begun = false
    this.#buffers = new Map()
    this.#buffered = 0
    this.#counts = new Map()
    this.#transactions = 0
    this.#changes = 0
    this.#heartbeat = null
    this.#ddlScope = undefined
    this.#startedAt = 0
    this.#lastTable = null
  }

  #countsOf(tableId: string): MutableCounts {
    let counts = this.#counts.get(tableId)
    if (counts === undefined) {
      counts = { tableId, inserts: 0, updates: 0, deletes: 0, truncates: 0 }
      this.#counts.set(tableId, counts)
    }
    return counts
  }
}
