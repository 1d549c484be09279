import type pg from 'pg'
import type { DestinationColumn, DestinationTableFacts } from './table-route.js'

/**
 * Reads what routing a table's changes needs from the destination's catalog: column types
 * (and whether they have `=`), and the unique indexes usable as ON CONFLICT arbiters.
 * Returns null when the table does not exist.
 */
export async function readDestinationFacts(
  client: pg.ClientBase,
  table: { readonly schema: string; readonly name: string },
): Promise<DestinationTableFacts | null> {
  const { rows } = await client.query<{
    columns: { name: string; type: string; comparable: boolean }[] | null
    unique_keys: string[][] | null
    primary_key: string[] | null
  }>(
    `SELECT
       (SELECT json_agg(json_build_object(
                 'name', a.attname,
                 'type', format_type(a.atttypid, a.atttypmod),
                 'comparable', EXISTS (SELECT FROM pg_catalog.pg_operator o
                                        WHERE o.oprname = '=' AND o.oprleft = a.atttypid AND o.oprright = a.atttypid))
               ORDER BY a.attnum)
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
       (SELECT json_agg(keys.names)
          FROM (SELECT array_agg(a.attname ORDER BY k.n) AS names
                  FROM pg_catalog.pg_index i
                  CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                 WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
                   AND i.indexprs IS NULL AND k.n <= i.indnkeyatts
                 GROUP BY i.indexrelid) AS keys) AS unique_keys,
       (SELECT array_agg(a.attname::text ORDER BY k.n)
          FROM pg_catalog.pg_index i
          CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
         WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [table.schema, table.name],
  )
  const row = rows[0]
  if (row === undefined) return null
  const columns = new Map<string, DestinationColumn>(
    (row.columns ?? []).map((column) => [column.name, { type: column.type, comparable: column.comparable }]),
  )
  return { columns, uniqueKeys: row.unique_keys ?? [], primaryKey: row.primary_key }
}
