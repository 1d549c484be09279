import { isIncremental } from '../precheck-context.js'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { replicaIdentityColumns, tablesById } from '../table-keys.js'
import { whereFilterColumns } from '../where-filter-columns.js'

/**
 * A table without replica identity in a publication that publishes updates or deletes makes
 * every UPDATE/DELETE of it fail on the source ("cannot update table ... because it does not
 * have a replica identity"). The publication publishes every operation, so apply sets such
 * tables to REPLICA IDENTITY FULL before creating it; the warning says so and what it costs.
 */
export const checkReplicaIdentity: Precheck = {
  name: 'replica identity',
  async run(context) {
    if (!isIncremental(context)) return []
    const findings: PrecheckFinding[] = []
    const tables = tablesById(context.sourceModel.tables)
    for (const selected of context.selection.tables) {
      // a partitioned parent holds no rows: its partitions are published and checked
      if (selected.table.kind !== 'table') continue
      const name = selected.sourceName
      const identity = replicaIdentityColumns(selected.table, tables)
      if (identity === undefined) {
        const why =
          selected.table.replicaIdentity === 'nothing'
            ? 'its replica identity is NOTHING'
            : 'it has no primary key and its replica identity is DEFAULT'
        findings.push({
          code: 'REPLICA_IDENTITY',
          severity: 'warning',
          message:
            `${name} has no usable replica identity (${why}): in a publication its UPDATE and ` +
            'DELETE would fail on the source, so pgshift sets REPLICA IDENTITY FULL on it for the ' +
            'migration (restored at cutover); its updates and deletes then log whole old rows ' +
            '(more WAL) and are found on the destination by comparing every column (slower)',
          hint:
            `Add a primary key (or ALTER TABLE ${name} REPLICA IDENTITY USING INDEX of a unique ` +
            'index on NOT NULL columns) before the migration, or accept with --ignore-warnings.',
          object: name,
        })
      }
      const filter = selected.spec?.where
      if (filter === null || filter === undefined || identity === 'all') continue
      const outside = whereFilterColumns(filter).filter((column) => !identity?.includes(column))
      if (outside.length === 0) continue
      findings.push({
        code: 'ROW_FILTER_REPLICA_IDENTITY',
        severity: 'warning',
        message:
          `the where filter of ${name} reads ${outside.join(', ')}, outside its replica ` +
          'identity: as a publication row filter it would make every UPDATE and DELETE on the ' +
          'source fail, so pgshift publishes every row and filters changes in the engine',
        hint:
          'Nothing to do. To filter on the source instead (less WAL decoded), make the replica ' +
          `identity cover ${outside.join(', ')} (e.g. ALTER TABLE ${name} REPLICA IDENTITY FULL).`,
        object: name,
      })
    }
    return findings
  },
}
