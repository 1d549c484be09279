/**
 * How bytes travel between the two COPY statements: binary by default (no parsing at either
 * end, ~19% faster here), text when a column's type has no binary I/O or its binary form
 * embeds type OIDs that differ between clusters (arrays of user types, composites).
 */
export type CopyFormat = 'binary' | 'text'

/** One copied column: read from the source, written into the destination. */
export interface CopyColumn {
  readonly sourceName: string
  readonly destinationName: string
  /**
   * The SELECT-list expression: the quoted source column, cast to the destination's type when
   * the two differ (binary COPY needs the exact representation the destination receives).
   */
  readonly expression: string
  /** format_type of the destination column. */
  readonly destinationType: string
}

/** A source table (a leaf: partitioned parents are copied through their partitions). */
export interface CopyTable {
  /** The source table's object id, `table:public.rental`. */
  readonly tableId: string
  readonly source: { readonly schema: string; readonly name: string }
  readonly destination: { readonly schema: string; readonly name: string }
  /** In the source's column order; generated and excluded columns left out. */
  readonly columns: readonly CopyColumn[]
  /** The spec's canonical row filter, or null. */
  readonly whereSql: string | null
  readonly format: CopyFormat
  /** Why the table travels as text, or null for binary. */
  readonly textReason: string | null
  /** pg_table_size of the source table. */
  readonly estimatedBytes: number
  /** reltuples, or null when the table was never analyzed. */
  readonly estimatedRows: number | null
  /** How the table is split: one unit, key ranges or page ranges. */
  readonly split: 'none' | 'key' | 'pages'
}

/** One piece of work: a whole table or a range of it, copied and committed at once. */
export interface CopyUnit {
  /** Stable id: the table id, plus `#i/n` for a range. */
  readonly id: string
  readonly tableId: string
  /** The range over the source's columns (`id >= 10 AND id < 20`), or null for the whole table. */
  readonly sourcePredicate: string | null
  /** The same range over the destination's columns, or null (whole table, or page ranges). */
  readonly destinationPredicate: string | null
  readonly estimatedBytes: number
  readonly estimatedRows: number | null
}

/**
 * What the full copy will do, computed by {@link planCopyUnits} from the introspected source,
 * the spec and the size estimates; the plan renderer shows it as is.
 */
export interface CopyPlan {
  /** Sorted by table id. */
  readonly tables: readonly CopyTable[]
  /** The queue: largest first, then by id. */
  readonly units: readonly CopyUnit[]
}
