import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { hasRowKey, tablesById } from '../table-keys.js'

/** Tables whose rows cannot be told apart by a key. */
export const checkTableWithoutKey: Precheck = {
  name: 'tables without key',
  async run(context) {
    const tables = tablesById(context.sourceModel.tables)
    return context.selection.tables
      .filter((selected) => selected.table.kind === 'table' && !hasRowKey(selected.table, tables))
      .map(
        (selected): PrecheckFinding => ({
          code: 'TABLE_WITHOUT_KEY',
          severity: 'warning',
          message:
            `${selected.sourceName} has neither a primary key nor a unique index on NOT NULL ` +
            'columns: incremental migration cannot tell equal rows apart (an update or delete ' +
            'may hit a duplicate), and validation must compare the table as a whole (slower)',
          hint: `Add a primary key to ${selected.sourceName} on the source before migrating.`,
          object: selected.sourceName,
        }),
      )
  },
}
