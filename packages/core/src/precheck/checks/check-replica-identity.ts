import { isIncremental } from '../precheck-context.js'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { replicaIdentityColumns, tablesById } from '../table-keys.js'
import { whereFilterColumns } from '../where-filter-columns.js'

/**
 * A table without replica identity in a publication that publishes updates or deletes makes
 * every UPDATE/DELETE of it fail on the source ("cannot update table ... because it does not
 * have a replica identity"), so such tables must be caught before the publication exists.
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
      const publishesOldRows = selected.operations.some((op) => op === 'update' || op === 'delete')
      if (identity === undefined && publishesOldRows) {
        const why =
          selected.table.replicaIdentity === 'nothing'
            ? 'its replica identity is NOTHING'
            : 'its replica identity is DEFAULT and it has no primary key'
        findings.push({
          code: 'REPLICA_IDENTITY',
          severity: 'error',
          message:
            `${name} cannot be replicated: ${why}, and adding it to a publication that ` +
            'publishes updates and deletes would make every UPDATE and DELETE on it fail on ' +
            'the source',
          hint:
            `Add a primary key, or run ALTER TABLE ${name} REPLICA IDENTITY FULL (or USING ` +
            'INDEX of a unique index on NOT NULL columns), or set operations: [insert] for it.',
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
