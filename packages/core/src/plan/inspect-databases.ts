import { introspectSchema } from '@pgshift/schema-diff'
import type { SchemaModel } from '@pgshift/schema-diff'
import type { Database } from '../pg/index.js'
import { collectFidelityNotes, compareFindings, createPrecheckContext, runPrechecks } from '../precheck/index.js'
import type { FidelityNote, PrecheckFinding, PrecheckOptions } from '../precheck/index.js'
import { altersTablesWithRows, planSpecSchemaChanges } from '../schema/index.js'
import type { SpecSchemaChanges } from '../schema/index.js'
import type { ResolvedSelection } from '../selection/index.js'
import { sequencePairs } from '../sequences/index.js'
import type { SequencePair } from '../sequences/index.js'
import type { MigrationSpec } from '../spec/index.js'

/** Everything a plan and an apply learn from the live databases before they decide anything. */
export interface Inspection {
  /** The whole source database. */
  readonly sourceModel: SchemaModel
  /** The whole destination database. */
  readonly destinationModel: SchemaModel
  readonly selection: ResolvedSelection
  /** Destination objects earlier runs of this migration created. Sorted. */
  readonly owned: readonly string[]
  readonly findings: readonly PrecheckFinding[]
  readonly fidelity: readonly FidelityNote[]
  readonly schema: SpecSchemaChanges
  /** Whether the DDL is lock-aware because altered tables already hold rows. */
  readonly lockAware: boolean
  readonly sequences: readonly SequencePair[]
}

/**
 * Reads both databases (read-only: introspection, prechecks, a few EXISTS probes) and works out
 * what the spec's schema phase would change. Plan and apply share it, so what a reviewer saw is
 * what runs.
 */
export async function inspectDatabases(
  source: Database,
  destination: Database,
  spec: MigrationSpec,
  options: { readonly precheck?: PrecheckOptions } = {},
): Promise<Inspection> {
  const [sourceModel, destinationModel] = await Promise.all([
    introspectSchema(source.kysely),
    introspectSchema(destination.kysely),
  ])
  const context = await createPrecheckContext({
    spec,
    source,
    destination,
    sourceModel,
    destinationModel,
    options: options.precheck,
  })
  const [findings, fidelity] = await Promise.all([runPrechecks(context), collectFidelityNotes(context)])
  const input = { spec, sourceModel, destinationModel, selection: context.selection, owned: context.owned }
  let schema = await planSpecSchemaChanges(input)
  const lockAware = await altersTablesWithRows(destination, destinationModel, schema.operations)
  if (lockAware) schema = await planSpecSchemaChanges({ ...input, lockAware })
  // a rename or exclude the destination's definitions cannot follow must stop apply like a precheck
  const mappingErrors = schema.mappingNotes
    .filter((note) => note.severity === 'error')
    .map((note): PrecheckFinding => ({
      code: 'MAPPING_UNSUPPORTED',
      severity: 'error',
      message: `${note.id.replace(':', ' ')}: ${note.message}`,
      hint: 'Change the spec: keep the column or table, or exclude the objects that use it.',
      object: note.id.slice(note.id.indexOf(':') + 1),
    }))
  return {
    sourceModel,
    destinationModel,
    selection: context.selection,
    owned: [...context.owned].sort(),
    findings: [...findings, ...mappingErrors].sort(compareFindings),
    fidelity,
    schema,
    lockAware,
    sequences: sequencePairs(spec, schema.scopedSource),
  }
}

/** Scope, mapping and kept-object notes of an inspection, as plans and apply show them. */
export function inspectionNotes(inspection: Inspection): { code: string; message: string }[] {
  return [
    ...inspection.schema.scopeNotes,
    ...inspection.schema.mappingNotes
      .filter((note) => note.severity === 'warning')
      .map((note) => ({ code: 'MAPPING_WARNING', message: note.message })),
    ...inspection.schema.kept,
  ].map((note) => ({ code: note.code, message: note.message }))
}
