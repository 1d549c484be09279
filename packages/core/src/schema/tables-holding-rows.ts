import { quoteQualifiedName } from '@pgshift/schema-diff'
import type { Operation, SchemaModel } from '@pgshift/schema-diff'
import type { Database } from '../pg/index.js'

/**
 * Whether any existing table the operations alter already holds a row: then the DDL must be
 * lock-aware (concurrent index builds, NOT VALID then VALIDATE, lock_timeout), so that it
 * does not block the destination's readers for long. One cheap EXISTS per altered table.
 */
export async function altersTablesWithRows(
  db: Database,
  model: SchemaModel,
  operations: readonly Operation[],
): Promise<boolean> {
  const created = new Set(operations.filter((op) => op.kind === 'create_table').map((op) => op.id))
  const altered = new Set(operations.map((op) => op.id).filter((id) => id.startsWith('table:') && !created.has(id)))
  for (const table of model.tables) {
    if (!altered.has(table.id)) continue
    const { rows } = await db.pool.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT FROM ${quoteQualifiedName(table.schema, table.name)}) AS found`,
    )
    if (rows[0]?.found) return true
  }
  return false
}
