import type pg from 'pg'
import { recordCopyProgress, recordCopyUnitError } from '../state/index.js'
import type { CopyUnitProgress } from '../state/index.js'
import type { CopyEvent } from './copy-event.js'

/** How often running units' progress is written for `pgshift status`. */
const FLUSH_MS = 2_000

/**
 * Keeps `pgshift.copy_units` showing where running units are, so `pgshift status` from another
 * machine sees rows and bytes move: progress events are kept in memory and written every two
 * seconds in one statement, retry causes as they happen. Best effort: a failed write is
 * dropped, never allowed to disturb the copy.
 */
export class ProgressRecorder {
  readonly #migration: string
  readonly #running = new Map<string, CopyUnitProgress>()
  #client: pg.Client | undefined
  #timer: NodeJS.Timeout | undefined
  #flushing: Promise<void> = Promise.resolve()
  #dirty = false

  constructor(migration: string) {
    this.#migration = migration
  }

  observe(event: CopyEvent): void {
    switch (event.type) {
      case 'unit-progress':
        this.#running.set(event.unitId, { unitId: event.unitId, rows: event.rows, bytes: event.bytes })
        this.#dirty = true
        return
      case 'retry':
        this.#running.delete(event.unitId)
        if (this.#client !== undefined) {
          const cause = event.code === null ? event.cause : `${event.cause} (${event.code})`
          void recordCopyUnitError(this.#client, this.#migration, event.unitId, cause).catch(() => {})
        }
        return
      case 'unit-done':
      case 'unit-skipped':
      case 'unit-failed':
        this.#running.delete(event.unitId)
        return
      default:
    }
  }

  /** Starts writing through `client` (the copy's coordinator session). */
  start(client: pg.Client): void {
    this.#client = client
    this.#timer = setInterval(() => this.#flush(), FLUSH_MS)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
    await this.#flushing
    this.#client = undefined
  }

  #flush(): void {
    const client = this.#client
    if (client === undefined || !this.#dirty) return
    this.#dirty = false
    const progress = [...this.#running.values()]
    this.#flushing = this.#flushing
      .then(() => recordCopyProgress(client, this.#migration, progress))
      .catch(() => {})
  }
}
