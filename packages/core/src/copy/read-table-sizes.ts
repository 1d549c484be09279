import type pg from 'pg'

/** What the source's catalog says about a table's size. */
export interface TableSize {
  /** pg_table_size: heap, TOAST and maps. */
  readonly bytes: number
  /** reltuples, or null when the table was never analyzed. */
  readonly rows: number | null
  /** Heap pages (pg_relation_size / block_size). */
  readonly pages: number
}

/**
 * Sizes of the named tables (quoted, qualified), in order, from the catalog alone: no table is
 * scanned, so plans can show them cheaply. `rows` is the planner's estimate.
 */
export async function readTableSizes(pool: pg.Pool, names: readonly string[]): Promise<TableSize[]> {
  if (names.length === 0) return []
  const { rows } = await pool.query<{ bytes: string; rows: number; pages: string }>(
    `SELECT pg_table_size(r.name::regclass) AS bytes, c.reltuples::float8 AS rows,
            pg_relation_size(r.name::regclass) / current_setting('block_size')::int AS pages
       FROM unnest($1::text[]) WITH ORDINALITY AS r (name, ord)
       JOIN pg_class c ON c.oid = r.name::regclass
      ORDER BY r.ord`,
    [names],
  )
  return rows.map((row) => ({
    bytes: Number(row.bytes),
    rows: row.rows < 0 ? null : row.rows,
    pages: Number(row.pages),
  }))
}
