import { quoteIdentifier, quoteQualifiedName } from '../sql/quote-identifier.js'

/** Shape of the schema {@link generateWideSchema} writes. */
export interface WideSchemaOptions {
  /** How many tables. */
  readonly tables: number
  /** Schema to create them in (CREATE SCHEMA IF NOT EXISTS); `wide` by default. */
  readonly schema?: string
  /** A view over every this many tables; 10 by default. */
  readonly viewEvery?: number
}

/**
 * SQL for a wide schema to measure introspection (and diff) at scale: `tables` tables, each with
 * a primary key, two secondary indexes and a foreign key to the table before it (the first has
 * none), and every `viewEvery`-th table a view joining it to its predecessor. Names are
 * zero-padded (`t_0001`), so id order is creation order.
 *
 * @example
 * ```ts
 * await client.query(generateWideSchema({ tables: 2000 }))
 * ```
 */
export function generateWideSchema(options: WideSchemaOptions): string {
  const schema = options.schema ?? 'wide'
  const viewEvery = options.viewEvery ?? 10
  if (!Number.isInteger(options.tables) || options.tables < 1) throw new Error('tables must be a positive integer')
  if (!Number.isInteger(viewEvery) || viewEvery < 1) throw new Error('viewEvery must be a positive integer')
  const width = Math.max(4, String(options.tables).length)
  const name = (prefix: string, n: number): string => `${prefix}_${String(n).padStart(width, '0')}`
  const table = (n: number): string => quoteQualifiedName(schema, name('t', n))

  const statements = [`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)};`]
  for (let n = 1; n <= options.tables; n++) {
    const reference = n > 1 ? ` REFERENCES ${table(n - 1)} (id)` : ''
    statements.push(
      `CREATE TABLE ${table(n)} (\n` +
        '  id bigint PRIMARY KEY,\n' +
        `  parent_id bigint${reference},\n` +
        '  code text NOT NULL,\n' +
        '  created_at timestamptz NOT NULL DEFAULT now(),\n' +
        '  amount numeric(12,2)\n' +
        ');',
      `CREATE INDEX ${quoteIdentifier(`${name('t', n)}_code`)} ON ${table(n)} (code);`,
      `CREATE INDEX ${quoteIdentifier(`${name('t', n)}_created_at`)} ON ${table(n)} (created_at DESC);`,
    )
    if (n % viewEvery === 0 && n > 1) {
      statements.push(
        `CREATE VIEW ${quoteQualifiedName(schema, name('v', n))} AS\n` +
          `  SELECT t.id, t.code, p.code AS parent_code, t.amount\n` +
          `  FROM ${table(n)} t LEFT JOIN ${table(n - 1)} p ON p.id = t.parent_id;`,
      )
    }
  }
  return `${statements.join('\n')}\n`
}
