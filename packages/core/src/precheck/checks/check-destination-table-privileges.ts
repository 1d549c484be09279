import { quoteQualifiedName } from '@pgshift/schema-diff'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { queryRows } from '../query-rows.js'

/**
 * Destination tables that already exist (created beforehand, or kept with conflicts: ignore)
 * are written by the destination role without being its own: it needs INSERT for the copy,
 * and UPDATE, DELETE and TRUNCATE for the changes incremental migration replicates.
 */
export const checkDestinationTablePrivileges: Precheck = {
  name: 'destination table privileges',
  async run(context) {
    const existing = new Set(
      context.destinationModel.tables.map((table) => quoteQualifiedName(table.schema, table.name)),
    )
    const copies = context.spec.types.includes('full')
    const replicates = context.spec.types.includes('incremental')
    const names: string[] = []
    const privileges: string[] = []
    for (const selected of context.selection.tables) {
      if (!existing.has(selected.destinationQualifiedName)) continue
      const needed = new Set<string>()
      if (copies || replicates) needed.add('INSERT')
      if (replicates) {
        for (const operation of selected.operations) {
          if (operation !== 'insert') needed.add(operation.toUpperCase())
        }
      }
      for (const privilege of needed) {
        names.push(selected.destinationQualifiedName)
        privileges.push(privilege)
      }
    }
    if (names.length === 0) return []
    const rows = await queryRows<{ role: string; name: string; missing: string[] }>(
      context.destination,
      `SELECT current_user AS role, t.name,
              array_agg(t.privilege ORDER BY t.privilege) AS missing
         FROM unnest($1::text[], $2::text[]) AS t(name, privilege)
        WHERE NOT pg_catalog.has_table_privilege(t.name, t.privilege)
        GROUP BY t.name ORDER BY t.name`,
      [names, privileges],
    )
    return rows.map(
      (row): PrecheckFinding => ({
        code: 'DESTINATION_PRIVILEGES',
        severity: 'error',
        message:
          `the destination role ${row.role} lacks ${row.missing.join(', ')} on ${row.name}, ` +
          'which already exists and which the migration writes into',
        hint: `GRANT ${row.missing.join(', ')} ON ${row.name} TO ${row.role};`,
        object: row.name,
      }),
    )
  },
}
