import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import type { CopyFormat } from './copy-plan.js'
import { CopyRowCounter } from './copy-row-counter.js'
import type { TokenBucket } from './token-bucket.js'

/** Options of {@link CopyMeter}. */
export interface CopyMeterOptions {
  readonly format: CopyFormat
  /** Shared limits; a chunk waits until both allow it through. */
  readonly rowBucket?: TokenBucket
  readonly byteBucket?: TokenBucket
  /** Called at most every `progressIntervalMs` with the counts so far. */
  readonly onProgress?: (rows: number, bytes: number) => void
  readonly progressIntervalMs?: number
}

/**
 * Sits between the two COPY streams and passes the CopyData messages through untouched: it
 * counts rows (exactly, from the message framing) and bytes of COPY data, reports progress,
 * and throttles by delaying chunks. Rows are counted rather than estimated from an average row
 * size, because the framing walk is cheap and averages mislead on tables whose row sizes vary
 * (TOASTed values). Throttling is at chunk granularity; the average rate holds.
 */
export class CopyMeter extends Transform {
  readonly #counter: CopyRowCounter
  readonly #options: CopyMeterOptions
  #reportedAt = 0
  #countedRows = 0
  #timer: NodeJS.Timeout | undefined

  constructor(options: CopyMeterOptions) {
    super()
    this.#options = options
    this.#counter = new CopyRowCounter(options.format)
  }

  get rows(): number {
    return this.#counter.rows
  }

  /** Bytes of COPY data so far (the framing of the messages left out). */
  get bytes(): number {
    return this.#counter.dataBytes
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const bytesBefore = this.#counter.dataBytes
    this.#counter.push(chunk)
    const newRows = this.#counter.rows - this.#countedRows
    this.#countedRows = this.#counter.rows
    const delay = Math.max(
      this.#options.byteBucket?.take(this.#counter.dataBytes - bytesBefore) ?? 0,
      this.#options.rowBucket?.take(newRows) ?? 0,
    )
    const now = performance.now()
    if (this.#options.onProgress !== undefined && now - this.#reportedAt >= (this.#options.progressIntervalMs ?? 500)) {
      this.#reportedAt = now
      this.#options.onProgress(this.rows, this.bytes)
    }
    if (delay <= 0) {
      callback(null, chunk)
      return
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      callback(null, chunk)
    }, delay)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.#timer)
    callback(error)
  }
}
