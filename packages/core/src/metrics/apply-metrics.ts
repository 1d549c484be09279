import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { ApplyEvent, ApplyStep } from '../apply/index.js'
import type { CopyEvent } from '../copy/index.js'
import type { IncrementalEvent } from '../incremental/index.js'
import { parseLsn } from '../incremental/index.js'
import { PHASES } from '../state/index.js'

/** How to build {@link ApplyMetrics}. */
export interface ApplyMetricsOptions {
  /** The spec's `metadata.name`: the `migration` label of every pgshift metric. */
  readonly migration: string
  /** Also collect prom-client's default process metrics (CPU, memory, event loop, GC); on by default. */
  readonly processMetrics?: boolean
}

/** What a copy unit's current attempt has been counted for so far. */
interface UnitTally {
  readonly table: string
  rows: number
  bytes: number
}

const STEPS: readonly ApplyStep[] = ['precheck', ...PHASES]

/**
 * The Prometheus metrics of one `apply`, fed only by its {@link ApplyEvent}s: the engine knows
 * nothing of Prometheus, and the metrics are as exact as the events. Holds its own registry (never
 * prom-client's global one) so that two applies in one process (Nx running several specs) do not
 * share counters.
 *
 * Copy counters count what this process moved: a unit that an earlier run finished adds nothing,
 * and an attempt that failed and was retried is counted again, so `rate()` is the real throughput.
 *
 * @example
 * const metrics = new ApplyMetrics({ migration: spec.metadata.name })
 * await runApply({ spec, onEvent: (event) => metrics.observe(event) })
 * const text = await metrics.registry.metrics()
 */
export class ApplyMetrics {
  readonly registry = new Registry()
  readonly #migration: string
  readonly #units = new Map<string, UnitTally>()
  #phase: ApplyStep | undefined

  readonly #copyRows: Counter<'migration' | 'table'>
  readonly #copyBytes: Counter<'migration' | 'table'>
  readonly #copyUnits: Counter<'migration' | 'status'>
  readonly #changes: Counter<'migration' | 'table' | 'operation'>
  readonly #transactions: Counter<'migration'>
  readonly #lagSeconds: Gauge<'migration'>
  readonly #lagBytes: Gauge<'migration'>
  readonly #appliedLsn: Gauge<'migration'>
  readonly #sourceLsn: Gauge<'migration'>
  readonly #retries: Counter<'migration' | 'phase' | 'side'>
  readonly #errors: Counter<'migration' | 'phase'>
  readonly #phaseGauge: Gauge<'migration' | 'phase'>

  constructor(options: ApplyMetricsOptions) {
    this.#migration = options.migration
    const registers = [this.registry]
    this.#copyRows = new Counter({
      name: 'pgshift_copy_rows_total',
      help: 'Rows sent by the full copy, per source table (a retried attempt counts again)',
      labelNames: ['migration', 'table'],
      registers,
    })
    this.#copyBytes = new Counter({
      name: 'pgshift_copy_bytes_total',
      help: 'COPY bytes sent by the full copy, per source table (a retried attempt counts again)',
      labelNames: ['migration', 'table'],
      registers,
    })
    this.#copyUnits = new Counter({
      name: 'pgshift_copy_units_total',
      help: 'Copy units (tables or key ranges) finished: done, skipped (done by an earlier run) or failed for good',
      labelNames: ['migration', 'status'],
      registers,
    })
    this.#changes = new Counter({
      name: 'pgshift_changes_applied_total',
      help: 'Replicated changes committed on the destination, per source table and operation',
      labelNames: ['migration', 'table', 'operation'],
      registers,
    })
    this.#transactions = new Counter({
      name: 'pgshift_transactions_applied_total',
      help: 'Source transactions committed on the destination',
      labelNames: ['migration'],
      registers,
    })
    this.#lagSeconds = new Gauge({
      name: 'pgshift_replication_lag_seconds',
      help: 'Replication lag in seconds at the last measurement',
      labelNames: ['migration'],
      registers,
    })
    this.#lagBytes = new Gauge({
      name: 'pgshift_replication_lag_bytes',
      help: 'WAL bytes between the source and the last applied position at the last measurement',
      labelNames: ['migration'],
      registers,
    })
    this.#appliedLsn = new Gauge({
      name: 'pgshift_applied_lsn',
      help: 'Last source LSN committed on the destination, as a number',
      labelNames: ['migration'],
      registers,
    })
    this.#sourceLsn = new Gauge({
      name: 'pgshift_source_lsn',
      help: "The source's current LSN at the last lag measurement, as a number",
      labelNames: ['migration'],
      registers,
    })
    this.#retries = new Counter({
      name: 'pgshift_retries_total',
      help: 'Failures that were retried, per phase and side (the full copy retries a unit whole: side "either")',
      labelNames: ['migration', 'phase', 'side'],
      registers,
    })
    this.#errors = new Counter({
      name: 'pgshift_errors_total',
      help: 'Failures that were not retried away: copy units failed for good, the apply ending with an error',
      labelNames: ['migration', 'phase'],
      registers,
    })
    this.#phaseGauge = new Gauge({
      name: 'pgshift_phase',
      help: 'The step apply is in (1) or not (0)',
      labelNames: ['migration', 'phase'],
      registers,
    })
    // every step present from the first scrape, so a dashboard need not wait for one to start
    for (const step of STEPS) this.#phaseGauge.set({ migration: this.#migration, phase: step }, 0)
    this.#transactions.inc({ migration: this.#migration }, 0)
    for (const status of ['done', 'skipped', 'failed']) this.#copyUnits.inc({ migration: this.#migration, status }, 0)
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry })
  }

  /** The step that started last, if any. */
  get currentPhase(): ApplyStep | undefined {
    return this.#phase
  }

  /** Updates the metrics from one apply event; never throws (it runs inside apply's listener). */
  observe(event: ApplyEvent): void {
    try {
      switch (event.type) {
        case 'step-started':
          this.#setPhase(event.step)
          return
        case 'copy':
          this.#observeCopy(event.event)
          return
        case 'incremental':
          this.#observeIncremental(event.event)
          return
        default:
      }
    } catch {
      // a malformed event (an LSN that does not parse) must not stop the migration
    }
  }

  /** Counts the error `apply` ended with, against the step it was in. */
  recordFailure(): void {
    this.#errors.inc({ migration: this.#migration, phase: this.#phase ?? 'precheck' })
  }

  #setPhase(step: ApplyStep): void {
    for (const each of STEPS) this.#phaseGauge.set({ migration: this.#migration, phase: each }, each === step ? 1 : 0)
    this.#phase = step
  }

  #observeCopy(event: CopyEvent): void {
    const migration = this.#migration
    switch (event.type) {
      case 'unit-started':
        // counts are per attempt: a retried unit reports from zero again
        this.#units.set(event.unitId, { table: tableLabel(event.tableId), rows: 0, bytes: 0 })
        return
      case 'unit-progress':
        this.#countCopied(event.unitId, event.rows, event.bytes)
        return
      case 'unit-done':
        this.#countCopied(event.unitId, event.rows, event.bytes)
        this.#units.delete(event.unitId)
        this.#copyUnits.inc({ migration, status: 'done' })
        return
      case 'unit-skipped':
        this.#units.delete(event.unitId)
        this.#copyUnits.inc({ migration, status: 'skipped' })
        return
      case 'unit-failed':
        this.#units.delete(event.unitId)
        this.#copyUnits.inc({ migration, status: 'failed' })
        this.#errors.inc({ migration, phase: 'full' })
        return
      case 'retry':
        this.#retries.inc({ migration, phase: 'full', side: 'either' })
        return
      case 'warning':
    }
  }

  #countCopied(unitId: string, rows: number, bytes: number): void {
    const tally = this.#units.get(unitId)
    if (tally === undefined) return
    const labels = { migration: this.#migration, table: tally.table }
    // a count below the last one is a new attempt that was not announced: count it from zero
    this.#copyRows.inc(labels, rows >= tally.rows ? rows - tally.rows : rows)
    this.#copyBytes.inc(labels, bytes >= tally.bytes ? bytes - tally.bytes : bytes)
    tally.rows = rows
    tally.bytes = bytes
  }

  #observeIncremental(event: IncrementalEvent): void {
    const migration = this.#migration
    switch (event.type) {
      case 'batch-applied':
        this.#transactions.inc({ migration }, event.transactions)
        for (const table of event.tables) {
          const label = tableLabel(table.tableId)
          const counts = { insert: table.inserts, update: table.updates, delete: table.deletes, truncate: table.truncates }
          for (const [operation, count] of Object.entries(counts)) {
            if (count > 0) this.#changes.inc({ migration, table: label, operation }, count)
          }
        }
        this.#appliedLsn.set({ migration }, lsnNumber(event.endLsn))
        return
      case 'lag':
        this.#lagSeconds.set({ migration }, event.lagSeconds)
        this.#lagBytes.set({ migration }, event.lagBytes)
        this.#appliedLsn.set({ migration }, lsnNumber(event.appliedLsn))
        this.#sourceLsn.set({ migration }, lsnNumber(event.sourceLsn))
        return
      case 'caught-up':
        this.#lagSeconds.set({ migration }, event.lagSeconds)
        this.#lagBytes.set({ migration }, event.lagBytes)
        return
      case 'retry':
        this.#retries.inc({ migration, phase: 'incremental', side: event.side })
        return
      default:
    }
  }
}

// `table:public.orders` is the engine's object id; people and dashboards read `public.orders`
function tableLabel(tableId: string): string {
  return tableId.replace(/^table:/, '')
}

// exact up to 2^53 bytes of WAL (8 PiB): far beyond any cluster's LSN
function lsnNumber(text: string): number {
  return Number(parseLsn(text))
}
