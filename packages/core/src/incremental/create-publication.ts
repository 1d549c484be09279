import { quoteIdentifier, quoteQualifiedName } from '@pgshift/schema-diff'
import type pg from 'pg'

/** A table to publish, by its source name. */
export interface PublishedTable {
  readonly schema: string
  readonly name: string
}

/**
 * Creates the publication with exactly these tables, or, when it exists (a resumed run),
 * sets its table list to them. Publishes every operation, TRUNCATE included: operation
 * selection is the apply side's business. A table without a replica identity must not be
 * passed (its UPDATE/DELETE would start failing on the source): prechecks see to that.
 */
export async function createPublication(
  db: pg.Pool | pg.ClientBase,
  name: string,
  tables: readonly PublishedTable[],
): Promise<void> {
  const list = tables.map((table) => quoteQualifiedName(table.schema, table.name)).join(', ')
  const { rows } = await db.query('SELECT FROM pg_catalog.pg_publication WHERE pubname = $1', [name])
  if (rows.length === 0) {
    // an empty publication is valid and publishes nothing until tables are added
    await db.query(`CREATE PUBLICATION ${quoteIdentifier(name)}${list === '' ? '' : ` FOR TABLE ${list}`}`)
    return
  }
  if (list === '') {
    // SET TABLE needs at least one table: drop what is there instead
    const current = await db.query<{ schema: string; name: string }>(
      'SELECT schemaname AS schema, tablename AS name FROM pg_catalog.pg_publication_tables WHERE pubname = $1',
      [name],
    )
    if (current.rows.length === 0) return
    const drop = current.rows.map((table) => quoteQualifiedName(table.schema, table.name)).join(', ')
    await db.query(`ALTER PUBLICATION ${quoteIdentifier(name)} DROP TABLE ${drop}`)
    return
  }
  await db.query(`ALTER PUBLICATION ${quoteIdentifier(name)} SET TABLE ${list}`)
}

/**
 * Creates the publication with these tables, or adds those missing to the one there (a resumed
 * run). Never removes a table: with DDL capture the source's trigger adds tables created since
 * the set-up, and they must stay published.
 */
export async function ensurePublication(
  db: pg.Pool | pg.ClientBase,
  name: string,
  tables: readonly PublishedTable[],
): Promise<void> {
  const { rows } = await db.query('SELECT FROM pg_catalog.pg_publication WHERE pubname = $1', [name])
  if (rows.length === 0) {
    await createPublication(db, name, tables)
    return
  }
  const current = await db.query<{ schema: string; name: string }>(
    'SELECT schemaname AS schema, tablename AS name FROM pg_catalog.pg_publication_tables WHERE pubname = $1',
    [name],
  )
  const members = new Set(current.rows.map((table) => quoteQualifiedName(table.schema, table.name)))
  const missing = tables.map((table) => quoteQualifiedName(table.schema, table.name)).filter((table) => !members.has(table))
  if (missing.length > 0) await db.query(`ALTER PUBLICATION ${quoteIdentifier(name)} ADD TABLE ${missing.join(', ')}`)
}
