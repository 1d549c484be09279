import { quoteIdentifier, quoteQualifiedName } from '@pgshift/schema-diff'
import type pg from 'pg'
import type { Database } from '../pg/index.js'
import { readTableSizes } from './read-table-sizes.js'
import type { TableToCopy } from './select-copy-tables.js'

/** A column as the catalog of one side describes it. */
export interface ColumnFacts {
  readonly name: string
  /** format_type with typmod, as the session's search_path prints it. */
  readonly type: string
  readonly typeOid: number
  /** The type's own name, unqualified (`mpaa_rating`, `int4`). */
  readonly typeName: string
  /** A built-in type: its OID and binary form are the same on every cluster. */
  readonly builtin: boolean
  readonly generated: boolean
  /**
   * Whether the type and every type inside it (domain base, array element, range subtype) has
   * binary send and receive functions, and its binary form embeds no OID that differs between
   * clusters (arrays of non-built-in types and composites do).
   */
  readonly binary: boolean
}

/** What planning needs to know about a source table. */
export interface SourceTableFacts {
  readonly columns: readonly ColumnFacts[]
  /** pg_table_size: heap, TOAST and maps. */
  readonly bytes: number
  /** reltuples, or null when never analyzed. */
  readonly rows: number | null
  /** Heap pages (pg_relation_size / block_size). */
  readonly pages: number
  /** min and max of the key column as decimal strings, read only for tables large enough to split. */
  readonly keyRange: { readonly min: string; readonly max: string } | null
}

/** The catalog facts of both sides, keyed by the source table id. */
export interface CopyFacts {
  readonly source: ReadonlyMap<string, SourceTableFacts>
  readonly destination: ReadonlyMap<string, readonly ColumnFacts[]>
}

const COLUMN_FACTS_SQL = `
WITH RECURSIVE relations AS (
  SELECT r.ord, r.name::regclass AS relid FROM unnest($1::text[]) WITH ORDINALITY AS r (name, ord)
),
columns AS (
  SELECT r.ord, a.attnum, a.attname, a.atttypid, format_type(a.atttypid, a.atttypmod) AS type,
         a.attgenerated <> '' AS generated
    FROM relations r JOIN pg_attribute a ON a.attrelid = r.relid
   WHERE a.attnum > 0 AND NOT a.attisdropped
),
parts (root, part) AS (
  SELECT DISTINCT atttypid, atttypid FROM columns
  UNION
  SELECT p.root, n.part
    FROM parts p
    JOIN pg_type t ON t.oid = p.part
   CROSS JOIN LATERAL (VALUES
     (CASE WHEN t.typtype = 'd' THEN t.typbasetype END),
     (CASE WHEN t.typlen = -1 AND t.typelem <> 0 THEN t.typelem END),
     ((SELECT g.rngsubtype FROM pg_range g WHERE g.rngtypid = t.oid)),
     -- rngmultitypid exists from PostgreSQL 14 on; read through jsonb to run on older sources too
     ((SELECT g.rngtypid FROM pg_range g WHERE (to_jsonb(g) ->> 'rngmultitypid')::oid = t.oid))
   ) AS n (part)
   WHERE n.part IS NOT NULL
),
binary_types AS (
  SELECT p.root,
         bool_and(t.typsend <> 0 AND t.typreceive <> 0 AND t.typtype <> 'c'
                  AND NOT (t.typlen = -1 AND t.typelem >= 16384)) AS binary
    FROM parts p JOIN pg_type t ON t.oid = p.part
   GROUP BY p.root
)
SELECT c.ord, c.attname AS name, c.type, c.atttypid::int AS type_oid, t.typname AS type_name,
       c.atttypid < 16384 AS builtin, c.generated, b.binary
  FROM columns c
  JOIN pg_type t ON t.oid = c.atttypid
  JOIN binary_types b ON b.root = c.atttypid
 ORDER BY c.ord, c.attnum`

interface RawColumn {
  ord: string
  name: string
  type: string
  type_oid: number
  type_name: string
  builtin: boolean
  generated: boolean
  binary: boolean
}

/**
 * Reads, in a few set-based queries per side, what planning needs: column types and their
 * binary I/O on both sides, sizes and row estimates on the source, and the key range of each
 * table larger than `splitLargerThanBytes`. The destination tables must exist (pre-data).
 */
export async function readCopyFacts(
  source: Database,
  destination: Database,
  tables: readonly TableToCopy[],
  options: { readonly splitLargerThanBytes: number },
): Promise<CopyFacts> {
  const sourceNames = tables.map((table) => quoteQualifiedName(table.source.schema, table.source.name))
  const destinationNames = tables.map((table) =>
    quoteQualifiedName(table.destination.schema, table.destination.name),
  )
  const [sourceColumns, destinationColumns, sizes] = await Promise.all([
    readColumns(source.pool, sourceNames, 'source'),
    readColumns(destination.pool, destinationNames, 'destination'),
    readTableSizes(source.pool, sourceNames),
  ])
  const sourceFacts = new Map<string, SourceTableFacts>()
  const destinationFacts = new Map<string, readonly ColumnFacts[]>()
  for (const [index, table] of tables.entries()) {
    const size = sizes[index]
    const bytes = size?.bytes ?? 0
    const large = bytes > options.splitLargerThanBytes && table.keyColumn !== null
    sourceFacts.set(table.tableId, {
      columns: sourceColumns[index] ?? [],
      bytes,
      rows: size?.rows ?? null,
      pages: size?.pages ?? 0,
      keyRange: large ? await readKeyRange(source.pool, table) : null,
    })
    destinationFacts.set(table.tableId, destinationColumns[index] ?? [])
  }
  return { source: sourceFacts, destination: destinationFacts }
}

async function readColumns(
  pool: pg.Pool,
  names: readonly string[],
  side: 'source' | 'destination',
): Promise<ColumnFacts[][]> {
  const result = await pool.query<RawColumn>(COLUMN_FACTS_SQL, [names]).catch((error: unknown) => {
    throw new Error(`reading the ${side} tables' columns: ${(error as Error).message}`, { cause: error })
  })
  const byTable: ColumnFacts[][] = names.map(() => [])
  for (const row of result.rows) {
    byTable[Number(row.ord) - 1]?.push({
      name: row.name,
      type: row.type,
      typeOid: row.type_oid,
      typeName: row.type_name,
      builtin: row.builtin,
      generated: row.generated,
      binary: row.binary,
    })
  }
  return byTable
}

async function readKeyRange(pool: pg.Pool, table: TableToCopy): Promise<SourceTableFacts['keyRange']> {
  const key = quoteIdentifier(table.keyColumn ?? '')
  const from = quoteQualifiedName(table.source.schema, table.source.name)
  const { rows } = await pool.query<{ min: string | null; max: string | null }>(
    `SELECT min(${key})::text AS min, max(${key})::text AS max FROM ONLY ${from}`,
  )
  const range = rows[0]
  return range?.min == null || range.max == null ? null : { min: range.min, max: range.max }
}
