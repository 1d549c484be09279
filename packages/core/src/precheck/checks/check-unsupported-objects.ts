import type { Precheck } from '../precheck-context.js'
import { isIncremental } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { primaryKeyOf, tablesById } from '../table-keys.js'

/** Expression-based unique indexes and inheritance that crosses the selection's edge. */
export const checkUnsupportedObjects: Precheck = {
  name: 'unsupported objects',
  async run(context) {
    const findings: PrecheckFinding[] = []
    const selectedIds = new Set(context.selection.tables.map((selected) => selected.table.id))
    const byId = tablesById(context.sourceModel.tables)
    const nameOf = (id: string) => id.slice(id.indexOf(':') + 1)
    for (const selected of context.selection.tables) {
      const name = selected.sourceName
      // a full copy recreates the index as it is; only the change stream needs a plain key
      if (isIncremental(context) && primaryKeyOf(selected.table, byId) === undefined) {
        for (const index of selected.table.indexes) {
          if (!index.unique || !index.hasExpressions) continue
          findings.push({
            code: 'UNSUPPORTED_OBJECT',
            severity: 'warning',
            message:
              `unique index ${index.name} of ${name} is on an expression: it is copied, but ` +
              'cannot serve as replica identity or as the key incremental migration applies ' +
              'updates and deletes by',
            hint: `Add a primary key to ${name}, or a unique index on plain NOT NULL columns.`,
            object: `${name}.${index.name}`,
          })
        }
      }
      for (const parent of selected.table.inherits) {
        if (selectedIds.has(parent)) continue
        findings.push({
          code: 'UNSUPPORTED_OBJECT',
          severity: 'error',
          message:
            `${name} inherits from ${nameOf(parent)}, which is not selected: the destination ` +
            'cannot create the child without its parent',
          hint: `Select ${nameOf(parent)} as well, or leave ${name} out.`,
          object: name,
        })
      }
    }
    // a selected parent whose children stay behind: its rows would be copied without theirs
    for (const table of context.sourceModel.tables) {
      if (selectedIds.has(table.id)) continue
      for (const parent of table.inherits) {
        if (!selectedIds.has(parent) || byId.get(parent) === undefined) continue
        findings.push({
          code: 'UNSUPPORTED_OBJECT',
          severity: 'error',
          message:
            `${nameOf(table.id)} inherits from ${nameOf(parent)}, which is selected while the ` +
            'child is not: the inheritance tree would be split between databases',
          hint: `Select ${nameOf(table.id)} as well, or leave ${nameOf(parent)} out.`,
          object: nameOf(parent),
        })
      }
    }
    return findings
  },
}
