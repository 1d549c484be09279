import { applyMapping, diffSchemas, loadSqlParser, topLevelIds } from '@pgshift/schema-diff'
import type { MappingNote, ObjectId, Operation, SchemaModel } from '@pgshift/schema-diff'
import type { ResolvedSelection } from '../selection/index.js'
import { specNameMapping } from '../selection/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { scopeSchemaModel } from './scope-schema-model.js'
import type { ScopeNote } from './scope-schema-model.js'

/** What {@link planSpecSchemaChanges} compares. */
export interface SpecSchemaInput {
  readonly spec: MigrationSpec
  /** The whole source database. */
  readonly sourceModel: SchemaModel
  /** The whole destination database. */
  readonly destinationModel: SchemaModel
  readonly selection: ResolvedSelection
  /** Destination object ids earlier runs of this migration created (`pgshift.owned_objects`). */
  readonly owned: ReadonlySet<string>
  /** Lock-aware DDL, for destinations whose altered tables already hold rows. */
  readonly lockAware?: boolean
}

/** A destination object that existed before the migration and differs from the source's. */
export interface KeptObjectNote {
  readonly code: 'KEPT_DESTINATION_OBJECT'
  readonly object: ObjectId
  readonly message: string
}

/** The schema phase of a spec: what the destination becomes and the DDL that gets it there. */
export interface SpecSchemaChanges {
  /** The selected part of the source under its source names. */
  readonly scopedSource: SchemaModel
  /** The selected part of the source under its destination names: the schema phase's goal. */
  readonly target: SchemaModel
  readonly operations: readonly Operation[]
  readonly scopeNotes: readonly ScopeNote[]
  readonly mappingNotes: readonly MappingNote[]
  /** Sorted by object. */
  readonly kept: readonly KeptObjectNote[]
}

/**
 * The DDL the schema phase of `apply` runs: the spec's scope of the source (see
 * {@link scopeSchemaModel}), renamed as the spec says, diffed against the destination — but
 * only against what the migration is responsible for. Destination objects the spec does not
 * migrate are never touched (no drops of someone else's tables). An object the destination
 * held before the migration (not recorded as owned) is left exactly as it is: with
 * `conflicts: fail` the DESTINATION_CONFLICT precheck has already refused, with `ignore` its
 * rows and definition stay, and a note says where its definition differs from the source's.
 * Objects earlier runs created converge to the source, so re-running after a source change
 * or a kill finishes the job.
 */
export async function planSpecSchemaChanges(input: SpecSchemaInput): Promise<SpecSchemaChanges> {
  await loadSqlParser()
  const scoped = scopeSchemaModel(input.spec, input.sourceModel, input.selection)
  const mapped = await applyMapping(scoped.model, specNameMapping(input.spec))
  const goal = mapped.model
  const goalIds = topLevelIds(goal)
  const existing = restrictModel(input.destinationModel, (id) => goalIds.has(id))
  const foreign = new Set(
    [...topLevelIds(existing)].filter((id) => !input.owned.has(id) && !isShared(id)),
  )
  const options = { lockAware: input.lockAware ?? false }
  const differing = new Set(diffSchemas(existing, goal, options).map((operation) => operation.id))
  const kept = [...foreign]
    .filter((id) => differing.has(id))
    .sort()
    .map((id): KeptObjectNote => ({
      code: 'KEPT_DESTINATION_OBJECT',
      object: id,
      message:
        `${id.replace(':', ' ')} existed on the destination before this migration and differs ` +
        "from the source's: it is kept as it is (conflicts: ignore)",
    }))
  const target = replaceObjects(goal, existing, foreign)
  return {
    scopedSource: scoped.model,
    target,
    operations: diffSchemas(existing, target, options),
    scopeNotes: scoped.notes,
    mappingNotes: mapped.notes,
    kept,
  }
}

// schemas and extensions are containers many migrations share; their contents are what counts
function isShared(id: ObjectId): boolean {
  return id.startsWith('schema:') || id.startsWith('extension:')
}

function restrictModel(model: SchemaModel, keep: (id: ObjectId) => boolean): SchemaModel {
  return {
    serverVersion: model.serverVersion,
    schemas: model.schemas.filter((schema) => keep(schema.id)),
    extensions: model.extensions.filter((extension) => keep(extension.id)),
    collations: model.collations.filter((collation) => keep(collation.id)),
    types: model.types.filter((type) => keep(type.id)),
    sequences: model.sequences.filter((sequence) => keep(sequence.id)),
    tables: model.tables.filter((table) => keep(table.id)),
    views: model.views.filter((view) => keep(view.id)),
    functions: model.functions.filter((fn) => keep(fn.id)),
  }
}

/** `goal` with the objects named in `ids` taken from `from` instead. */
function replaceObjects(goal: SchemaModel, from: SchemaModel, ids: ReadonlySet<ObjectId>): SchemaModel {
  const pick = <T extends { readonly id: ObjectId }>(mine: readonly T[], theirs: readonly T[]): T[] => {
    const replacements = new Map(theirs.filter((object) => ids.has(object.id)).map((object) => [object.id, object]))
    return mine.map((object) => replacements.get(object.id) ?? object)
  }
  return {
    serverVersion: goal.serverVersion,
    schemas: goal.schemas,
    extensions: goal.extensions,
    collations: pick(goal.collations, from.collations),
    types: pick(goal.types, from.types),
    sequences: pick(goal.sequences, from.sequences),
    tables: pick(goal.tables, from.tables),
    views: pick(goal.views, from.views),
    functions: pick(goal.functions, from.functions),
  }
}
