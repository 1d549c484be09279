import type { Database } from '../pg/index.js'
import type { ComparisonMode, RowHashFunction } from './validation-report.js'

/** A compared column as a hash reads it: the SQL expression and the destination's type. */
export interface HashedColumn {
  readonly expression: string
  /** format_type of the destination column (`bigint`, `character varying(20)`). */
  readonly type: string
}

// Types whose values are equal exactly when their text is: hashing them with their own
// extended hash function (PostgreSQL 11+, stable across major versions because hash
// partitioning stores its results) skips the text output, which is most of the cost (measured:
// a row of bigint, text, numeric, timestamptz, boolean, text[] and jsonb hashed per column in
// 0.7 s per million rows against 1.4 s through the row's text). Every other type goes through
// its text: numeric (1.0 = 1.00), floats (-0 = 0), interval ('1 day' = '24 hours'), jsonb
// (numbers inside compare as numeric), enums (hashed by OID, which differs between clusters),
// arrays and the rest would hide differences their equality ignores.
const BINARY_HASHES: ReadonlyMap<string, (value: string, seed: string) => string> = new Map([
  ['smallint', (value, seed) => `hashint2extended(${value}, ${seed})`],
  ['integer', (value, seed) => `hashint4extended(${value}, ${seed})`],
  ['bigint', (value, seed) => `hashint8extended(${value}, ${seed})`],
  ['oid', (value, seed) => `hashoidextended(${value}, ${seed})`],
  ['boolean', (value, seed) => `hashint4extended((${value})::integer, ${seed})`],
  // the C collation: a nondeterministic column collation would hash equal-but-different strings alike
  ['text', (value, seed) => `hashtextextended((${value}) COLLATE "C", ${seed})`],
  ['character varying', (value, seed) => `hashtextextended((${value})::text COLLATE "C", ${seed})`],
  ['uuid', (value, seed) => `uuid_hash_extended(${value}, ${seed})`],
  ['timestamp without time zone', (value, seed) => `timestamp_hash_extended(${value}, ${seed})`],
  // at the pinned TimeZone=UTC the cast is exact: same instant, same timestamp
  ['timestamp with time zone', (value, seed) => `timestamp_hash_extended((${value})::timestamp, ${seed})`],
  ['time without time zone', (value, seed) => `time_hash_extended(${value}, ${seed})`],
])

// one of each function above on fixed values: equal on both servers, or the row text is hashed
const PROBE = `SELECT (hashint2extended(3::smallint, 1) # hashint4extended(7, 2) # hashint8extended(42, 3)
  # hashoidextended(1::oid, 4) # hashtextextended('pgshift validate', 5)
  # uuid_hash_extended('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, 6)
  # timestamp_hash_extended('2024-02-03 04:05:06.789'::timestamp, 7)
  # time_hash_extended('12:34:56.789'::time, 8))::text AS probe`

/**
 * The SQL expression of one row's hash, a bigint, the same on both sides for the same values.
 * column-hash: each column hashed on its own with a seed of its position — by its type's hash
 * function where equal values print equally (see above), else from its output text — NULL
 * standing as a per-position constant, and the column hashes XORed. md5: the row as one record, printed as
 * text (which quotes empty strings and leaves NULL empty, so NULL and '' and column boundaries
 * survive), its md5's first 64 bits. Sums of it are order-independent checksums.
 */
export function rowHashExpression(fn: RowHashFunction, columns: readonly HashedColumn[]): string {
  switch (fn) {
    case 'none':
      return '0::bigint'
    case 'md5':
      return `('x' || left(md5(ROW(${columns.map((column) => column.expression).join(', ')})::text), 16))::bit(64)::bigint`
    case 'column-hash':
      if (columns.length === 0) return '0::bigint'
      return `(${columns.map(columnHash).join(' # ')})`
  }
}

function columnHash(column: HashedColumn, index: number): string {
  const seed = String(index + 1)
  const binary = BINARY_HASHES.get(column.type.replace(/\(\d+(,\d+)?\)/, ''))
  if (binary !== undefined) return `coalesce(${binary(column.expression, seed)}, ${nullHash(index)})`
  // concat() prints through the type's output function, as SELECT and COPY do; a ::text cast
  // may not (xml keeps its stored declaration, char(n) drops its padding). It prints NULL as
  // '', so NULL is told apart before.
  const value = `(${column.expression})`
  return `CASE WHEN ${value} IS NULL THEN ${nullHash(index)} ELSE hashtextextended(concat(${value}), ${seed}) END`
}

// a constant per position (golden-ratio multiples), so NULLs in different columns differ
function nullHash(index: number): string {
  return BigInt.asIntN(64, 0x9e3779b97f4a7c15n * BigInt(index + 1)).toString()
}

/**
 * Picks the row hash both servers compute alike. The extended hash functions exist from
 * PostgreSQL 11 on and their values follow the server's byte order, so both sides compute a
 * probe first; md5 of the row text (about half as fast) is the fallback.
 */
export async function chooseRowHash(
  source: Database,
  destination: Database,
  mode: ComparisonMode,
): Promise<RowHashFunction> {
  if (mode === 'count') return 'none'
  const probe = async (db: Database) => {
    try {
      const { rows } = await db.pool.query<{ probe: string }>(PROBE)
      return rows[0]?.probe ?? null
    } catch {
      return null
    }
  }
  const [a, b] = await Promise.all([probe(source), probe(destination)])
  return a !== null && a === b ? 'column-hash' : 'md5'
}
