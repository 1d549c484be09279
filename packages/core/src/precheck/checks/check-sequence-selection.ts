import { quoteQualifiedName } from '@pgshift/schema-diff'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'

// introspection prints defaults with an empty search_path, so the name is schema-qualified
const nextval = /\bnextval\('((?:[^']|'')+)'::regclass\)/u

/**
 * Columns whose default draws from a sequence the migration does not carry. Identity columns
 * always take their sequence along; a SERIAL sequence goes with its table only when it lives
 * in the table's schema, and any other sequence only when its schema is selected.
 */
export const checkSequenceSelection: Precheck = {
  name: 'sequences',
  async run(context) {
    const selected = new Set(context.selection.sequences)
    const byName = new Map(
      context.sourceModel.sequences.map((sequence) => [
        quoteQualifiedName(sequence.schema, sequence.name),
        sequence.id,
      ]),
    )
    const findings: PrecheckFinding[] = []
    for (const { table, sourceName, spec } of context.selection.tables) {
      for (const column of table.columns) {
        if (column.inherited || column.default === null) continue
        if (spec?.columns.exclude.includes(column.name)) continue
        const match = nextval.exec(column.default)
        if (match === null) continue
        const sequence = (match[1] ?? '').replace(/''/gu, "'")
        const id = byName.get(sequence)
        if (id !== undefined && selected.has(id)) continue
        findings.push({
          code: 'SEQUENCE_NOT_SELECTED',
          severity: 'error',
          message:
            `column ${column.name} of ${sourceName} takes its default from sequence ` +
            `${sequence}, which the migration does not select: the destination table could ` +
            'not be created with that default, nor the sequence set at cutover',
          hint:
            `Select the schema of ${sequence} (or stop excluding the sequence), or turn the ` +
            'column into an identity column on the source.',
          object: `${sourceName}.${column.name}`,
        })
      }
    }
    return findings
  },
}
