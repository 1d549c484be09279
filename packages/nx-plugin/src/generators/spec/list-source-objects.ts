import { ConnectionUrl, openDatabase } from '@pgshift/core'

/** One schema of the source database with its tables, as the spec's `objects` lists them. */
export interface SourceSchema {
  readonly name: string
  readonly tables: readonly string[]
}

// The schemas a whole-database migration would take: no system schemas, nothing an extension
// owns, not pgshift's own state. Partitions travel with their parent, so only roots are listed.
const SOURCE_OBJECTS_SQL = `
SELECT n.nspname::text AS schema,
       coalesce(array_agg(c.relname::text ORDER BY c.relname COLLATE "C")
                  FILTER (WHERE c.oid IS NOT NULL), '{}') AS tables
  FROM pg_catalog.pg_namespace n
  LEFT JOIN pg_catalog.pg_class c
         ON c.relnamespace = n.oid
        AND c.relkind IN ('r', 'p')
        AND NOT c.relispartition
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                         WHERE d.classid = 'pg_catalog.pg_class'::regclass
                           AND d.objid = c.oid AND d.deptype = 'e')
 WHERE n.nspname !~ '^pg_'
   AND n.nspname NOT IN ('information_schema', 'pgshift')
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_namespace'::regclass
                      AND d.objid = n.oid AND d.deptype = 'e')
 GROUP BY n.nspname
 ORDER BY n.nspname COLLATE "C"`

/**
 * Lists the source's schemas and tables in a read-only transaction. Every error message comes
 * from core's connection handling, which names host and database but never the password.
 */
export async function listSourceObjects(rawUrl: string): Promise<SourceSchema[]> {
  let url: ConnectionUrl
  try {
    url = ConnectionUrl.parse(rawUrl)
  } catch (error) {
    throw new Error(`the source URL is not valid: ${(error as Error).message}`)
  }
  const database = await openDatabase(url, {
    role: 'source',
    maxConnections: 1,
    applicationName: 'pgshift spec generator',
  })
  try {
    const client = await database.pool.connect()
    try {
      await client.query('START TRANSACTION READ ONLY')
      const result = await client.query<{ schema: string; tables: string[] }>(SOURCE_OBJECTS_SQL)
      await client.query('COMMIT')
      return result.rows.map((row) => ({ name: row.schema, tables: row.tables }))
    } finally {
      client.release()
    }
  } finally {
    await database.close()
  }
}
