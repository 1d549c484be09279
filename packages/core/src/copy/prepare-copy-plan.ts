import { introspectSchema } from '@pgshift/schema-diff'
import type { SchemaModel } from '@pgshift/schema-diff'
import type { Database } from '../pg/index.js'
import type { MigrationSpec } from '../spec/index.js'
import type { CopyPlan } from './copy-plan.js'
import { planCopyUnits } from './plan-copy-units.js'
import { readCopyFacts } from './read-copy-facts.js'
import { selectCopyTables } from './select-copy-tables.js'

/**
 * Selects the spec's tables in the source model (introspected here when not given), reads the
 * catalog facts of both sides and plans the units: {@link selectCopyTables}, then
 * {@link readCopyFacts}, then the pure {@link planCopyUnits}. The destination tables must
 * exist, so call it after the pre-data schema step.
 */
export async function prepareCopyPlan(
  source: Database,
  destination: Database,
  spec: MigrationSpec,
  sourceModel?: SchemaModel,
): Promise<CopyPlan> {
  const model =
    sourceModel ?? (await introspectSchema(source.kysely, { schemas: spec.objects?.map((schema) => schema.schema) }))
  const tables = selectCopyTables(spec, model)
  const options = { splitLargerThanBytes: spec.options.parallel.splitLargerThanBytes }
  const facts = await readCopyFacts(source, destination, tables, options)
  return planCopyUnits(tables, facts, options)
}
