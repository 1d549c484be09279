import { quoteQualifiedName } from '@pgshift/schema-diff'
import { readTableSizes, selectCopyTables } from '../copy/index.js'
import type { Database } from '../pg/index.js'
import type { MigrationSpec } from '../spec/index.js'
import type { CopyEstimates } from './compile-plan.js'
import type { Inspection } from './inspect-databases.js'

/** The source catalog's size estimates of the tables the spec copies (no table is scanned). */
export async function readCopyEstimates(
  source: Database,
  spec: MigrationSpec,
  inspection: Inspection,
): Promise<CopyEstimates> {
  if (!spec.types.includes('full')) return new Map()
  const tables = selectCopyTables(spec, inspection.sourceModel)
  const sizes = await readTableSizes(
    source.pool,
    tables.map((table) => quoteQualifiedName(table.source.schema, table.source.name)),
  )
  return new Map(tables.flatMap((table, index) => {
    const size = sizes[index]
    return size === undefined ? [] : [[table.tableId, size] as const]
  }))
}
