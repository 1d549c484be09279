import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'

/** Column excludes and renames that name missing columns or land on a kept column's name. */
export const checkColumnMapping: Precheck = {
  name: 'column mapping',
  async run(context) {
    const findings: PrecheckFinding[] = []
    for (const { table, spec, sourceName } of context.selection.tables) {
      if (spec === null) continue
      const columns = new Set(table.columns.map((column) => column.name))
      const { exclude, rename } = spec.columns
      const named = [
        ...exclude.map((column) => ({ column, use: 'columns.exclude' })),
        ...Object.keys(rename).map((column) => ({ column, use: 'columns.rename' })),
      ]
      for (const { column, use } of named) {
        if (columns.has(column)) continue
        findings.push({
          code: 'COLUMN_NOT_FOUND',
          severity: 'error',
          message: `${use} of ${sourceName} names column ${column}, which the table does not have`,
          hint: `Use a column of ${sourceName}: ${[...columns].join(', ')}.`,
          object: `${sourceName}.${column}`,
        })
      }
      // columns that keep their own name on the destination
      const isKept = (column: string) => !exclude.includes(column) && !Object.hasOwn(rename, column)
      const kept = new Set([...columns].filter(isKept))
      for (const [from, to] of Object.entries(rename)) {
        if (!columns.has(from) || !kept.has(to)) continue
        findings.push({
          code: 'COLUMN_RENAME_COLLISION',
          severity: 'error',
          message:
            `columns.rename of ${sourceName} renames ${from} to ${to}, but ${to} is also a ` +
            'column of the table and is kept under its own name',
          hint: `Exclude ${to}, rename it as well, or pick another name for ${from}.`,
          object: `${sourceName}.${from}`,
        })
      }
    }
    return findings
  },
}
