import type { ConnectionUrl } from '../spec/index.js'
import { openCopySnapshot } from './copy-snapshot.js'
import type { CopySnapshot, OpenCopySnapshotOptions } from './copy-snapshot.js'

/**
 * Hands the run's current snapshot to workers and replaces it when its exporting session is
 * lost (a network failure, a restarted source). Units copied under different snapshots each
 * record theirs, which the incremental phase needs.
 */
export class SnapshotKeeper {
  readonly #url: ConnectionUrl
  readonly #options: OpenCopySnapshotOptions
  #current: Promise<CopySnapshot> | undefined
  readonly #opened: CopySnapshot[] = []

  constructor(url: ConnectionUrl, options: OpenCopySnapshotOptions) {
    this.#url = url
    this.#options = options
  }

  /** The live snapshot, opening a new one when there is none or the last one was lost. */
  async current(): Promise<CopySnapshot> {
    for (;;) {
      const pending = this.#current
      if (pending === undefined) {
        this.#current = this.#open()
        continue
      }
      const snapshot = await pending.catch(() => undefined)
      // another worker replaced it meanwhile: wait for that one (single flight)
      if (this.#current !== pending) continue
      if (snapshot === undefined) {
        // opening failed: report it to this caller, let the next one try again
        this.#current = undefined
        return pending
      }
      if (!snapshot.isLost) return snapshot
      this.#current = this.#open()
    }
  }

  #open(): Promise<CopySnapshot> {
    return openCopySnapshot(this.#url, this.#options).then((snapshot) => {
      this.#opened.push(snapshot)
      return snapshot
    })
  }

  /** Drops a snapshot that workers could not import, so the next {@link current} replaces it. */
  async discard(snapshot: CopySnapshot): Promise<void> {
    const current = await this.#current?.catch(() => undefined)
    if (current === snapshot) this.#current = undefined
    await snapshot.close()
  }

  /** Ends every exporting session. */
  async close(): Promise<void> {
    this.#current = undefined
    await Promise.all(this.#opened.map((snapshot) => snapshot.close()))
  }
}
