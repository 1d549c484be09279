import pg from 'pg'

/** What the background writer did to the source, in rows. */
export interface WriterTotals {
  readonly transactions: number
  readonly inserts: number
  readonly updates: number
  readonly deletes: number
  readonly durationMs: number
}

/** How fast the writer writes. */
export interface DemoWriterOptions {
  /** One transaction every this many milliseconds. */
  readonly intervalMs: number
}

/**
 * The demo's stand-in for an application still writing to the source: on its own connection, a
 * steady stream of small transactions (new orders with their lines, status changes, cancelled
 * orders deleted, customer profiles and prices edited, legacy orders added, moved in and out of
 * the spec's 2024 filter, and scratch rows the spec excludes). Values derive from a counter, so
 * every run writes the same changes. Started before apply, it also writes during the full copy,
 * which is what the slot's snapshot must handle.
 */
export class DemoWriter {
  readonly #client: pg.Client
  readonly #intervalMs: number
  #stopping = false
  #loop: Promise<void> | undefined
  #error: unknown
  #startedAt = 0
  #tick = 0
  #transactions = 0
  #inserts = 0
  #updates = 0
  #deletes = 0

  private constructor(client: pg.Client, options: DemoWriterOptions) {
    this.#client = client
    this.#intervalMs = options.intervalMs
  }

  /** Connects and starts writing. */
  static async start(url: string, options: DemoWriterOptions): Promise<DemoWriter> {
    const client = new pg.Client({ connectionString: url, application_name: 'pgshift demo writer' })
    // a server stopped under it (Ctrl-C) surfaces as a failed query, not as an unhandled event
    client.on('error', () => {})
    await client.connect()
    const writer = new DemoWriter(client, options)
    writer.#startedAt = performance.now()
    writer.#loop = writer.#run()
    return writer
  }

  /** Rows written so far. */
  totals(): WriterTotals {
    return {
      transactions: this.#transactions,
      inserts: this.#inserts,
      updates: this.#updates,
      deletes: this.#deletes,
      durationMs: Math.round(performance.now() - this.#startedAt),
    }
  }

  /** Finishes the transaction under way, disconnects, and rethrows what stopped the writer early. */
  async stop(): Promise<WriterTotals> {
    this.#stopping = true
    await this.#loop
    const totals = this.totals()
    await this.#client.end().catch(() => {})
    if (this.#error !== undefined) throw this.#error
    return totals
  }

  async #run(): Promise<void> {
    let next = performance.now()
    while (!this.#stopping) {
      try {
        await this.#transaction(this.#tick++)
      } catch (error) {
        this.#error = error
        await this.#client.query('ROLLBACK').catch(() => {})
        return
      }
      // a steady rate: a slow transaction shortens the next pause rather than adding to it
      next += this.#intervalMs
      const pause = next - performance.now()
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause))
      else next = performance.now()
    }
  }

  async #transaction(tick: number): Promise<void> {
    const run = async (kind: 'insert' | 'update' | 'delete', sql: string, values: unknown[]) => {
      const result = await this.#client.query(sql, values)
      const rows = result.rowCount ?? 0
      if (kind === 'insert') this.#inserts += rows
      else if (kind === 'update') this.#updates += rows
      else this.#deletes += rows
      return result
    }
    // spread over the loaded rows, the same sequence on every run
    const pick = (range: number, salt: number) => 1 + ((tick * 7919 + salt * 104_729) % range)
    await this.#client.query('BEGIN')
    const order = await run(
      'insert',
      `INSERT INTO sales.orders (customer_id, status, placed_at, note)
       VALUES ($1, 'new', now(), $2) RETURNING id`,
      [pick(20_000, 1), tick % 3 === 0 ? `live order ${tick}` : null],
    )
    const orderId = (order.rows[0] as { id: string }).id
    await run(
      'insert',
      `INSERT INTO sales.order_lines (order_id, line, product_id, quantity, unit_price)
       SELECT $1, line, 1 + ($2 + line * 17) % 2000, 1 + line % 3, 9.99 + line FROM generate_series(1, $3::int) AS line`,
      [orderId, tick, 1 + (tick % 3)],
    )
    await run('update', `UPDATE sales.orders SET status = 'paid', note = coalesce(note, '') || '+' WHERE id = $1`, [pick(100_000, 2)])
    if (tick % 3 === 1) {
      // lines first, so that every deleted row is counted (the cascade would hide them)
      await run('delete', `DELETE FROM sales.order_lines WHERE order_id = $1`, [pick(100_000, 3)])
      await run('delete', `DELETE FROM sales.orders WHERE id = $1`, [pick(100_000, 3)])
    }
    if (tick % 2 === 0) {
      await run(
        'update',
        `UPDATE sales.customers SET profile = coalesce(profile, '{}') || jsonb_build_object('visits', $2::int, 'seen', now()) WHERE id = $1`,
        [pick(20_000, 4), tick],
      )
    }
    if (tick % 5 === 0) {
      await run(
        'insert',
        `INSERT INTO sales.customers (email, name, country, created_at) VALUES ($1, $2, 'DE', now())`,
        [`live${tick}@example.com`, `Live customer ${tick}`],
      )
    }
    if (tick % 7 === 3) await run('update', `UPDATE sales.products SET price = price + 0.01 WHERE id = $1`, [pick(2_000, 5)])
    if (tick % 4 === 2) {
      // the legacy table: the spec keeps 2024 and later, renames amount, leaves internal_note out
      await run(
        'insert',
        `INSERT INTO public.orders (created_at, amount, internal_note) VALUES ($1, $2, 'live')`,
        [tick % 8 === 2 ? '2023-06-30' : '2024-06-30', (tick % 300) + 0.25],
      )
      await run('update', `UPDATE public.orders SET amount = amount + 1, internal_note = 'edited' WHERE id = $1`, [pick(50_000, 6)])
      // dated into and out of the filter: arrives as an insert, leaves as a delete
      await run('update', `UPDATE public.orders SET created_at = created_at + 365 WHERE id = $1`, [pick(50_000, 7)])
      await run('update', `UPDATE public.orders SET created_at = created_at - 365 WHERE id = $1`, [pick(50_000, 8)])
    }
    if (tick % 6 === 5) {
      // excluded by the spec (tmp_*): written, never replicated
      await run('insert', `INSERT INTO sales.tmp_import (id, line) VALUES ($1, 'live') ON CONFLICT (id) DO NOTHING`, [1000 + tick])
    }
    await this.#client.query('COMMIT')
    this.#transactions++
  }
}
