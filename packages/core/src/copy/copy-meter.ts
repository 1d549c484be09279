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
 * Sits between the two COPY streams and passes the bytes through untouched: it counts rows
 * (exactly, from the tuple framing) and bytes, reports progress, and throttles by delaying
 * chunks. Rows are counted rather than estimated from an average row size, because the
 * framing walk is cheap and averages mislead on tables whose row sizes vary (TOASTed values).
 * Throttling is at chunk granularity; the average rate holds.
 */
export class CopyMeter extends Transform {
  bytes = 0
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

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#counter.push(chunk)
    this.bytes += chunk.length
    const newRows = this.#counter.rows - this.#countedRows
    this.#countedRows = this.#counter.rows
    const delay = Math.max(
      this.#options.byteBucket?.take(chunk.length) ?? 0,
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
