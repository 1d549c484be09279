interface Waiter<T> {
  readonly resolve: (item: T | null) => void
  readonly reject: (error: unknown) => void
}

/**
 * A FIFO between a push-based source (socket events) and a pull-based consumer (an async
 * iterator). It does not bound itself: the producer looks at {@link size} and pauses its
 * source, which keeps the bound where the bytes come from.
 */
export class AsyncQueue<T> {
  readonly #items: T[] = []
  readonly #waiters: Waiter<T>[] = []
  #failure: { readonly error: unknown } | null = null
  #ended = false

  /** Items waiting for a consumer. */
  get size(): number {
    return this.#items.length
  }

  /** Whether {@link fail} or {@link end} was called. */
  get isSettled(): boolean {
    return this.#failure !== null || this.#ended
  }

  /** Hands the item to a waiting consumer or keeps it; ignored once settled. */
  push(item: T): void {
    if (this.isSettled) return
    const waiter = this.#waiters.shift()
    if (waiter === undefined) this.#items.push(item)
    else waiter.resolve(item)
  }

  /** The next item; after {@link end} null, after {@link fail} the error, once the items are taken. */
  shift(): Promise<T | null> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift() as T)
    if (this.#failure !== null) return Promise.reject(this.#failure.error)
    if (this.#ended) return Promise.resolve(null)
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }))
  }

  /** No more items: consumers get those still queued, then `error`. The first settle wins. */
  fail(error: unknown): void {
    if (this.isSettled) return
    this.#failure = { error }
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error)
  }

  /** No more items: consumers get those still queued, then null. With `discard`, none. */
  end(discard = false): void {
    if (discard) this.#items.length = 0
    if (this.isSettled) return
    this.#ended = true
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(null)
  }
}
