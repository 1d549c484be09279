import { objectKindOf } from '@pgshift/schema-diff'
import type { ObjectId, SchemaModel, TableDef } from '@pgshift/schema-diff'
import type { ResolvedSelection } from '../selection/index.js'
import { matchGlob } from '../spec/index.js'
import type { MigrationSpec } from '../spec/index.js'

/** Something of the source the scoped model leaves out or changes, and why. */
export interface ScopeNote {
  readonly code: 'VIEW_OUT_OF_SCOPE' | 'FOREIGN_KEY_OUT_OF_SCOPE' | 'SEQUENCE_OWNER_OUT_OF_SCOPE'
  readonly object: ObjectId
  readonly message: string
}

/** The part of the source's schema a spec migrates. */
export interface ScopedModel {
  readonly model: SchemaModel
  /** Sorted by object, then code. */
  readonly notes: readonly ScopeNote[]
}

/**
 * Cuts the whole source model down to what the spec migrates: the selected tables (with the
 * partitions of selected partitioned tables), every object of a schema selected whole (minus
 * its `exclude` globs), the selected sequences, and whatever those need — types, functions,
 * collations, sequences and extensions, followed through `dependsOn` whatever schema they live
 * in. Tables are never pulled in by a dependency: a view over a table that is not migrated is
 * left out, a foreign key to such a table is dropped, and a sequence owned by one loses its
 * owner — each with a note, so the plan says so. `objects: null` keeps the whole model. Pure.
 */
export function scopeSchemaModel(
  spec: MigrationSpec,
  model: SchemaModel,
  selection: ResolvedSelection,
): ScopedModel {
  if (spec.objects === null) return { model, notes: [] }
  const wholeSchemas = new Map(
    spec.objects.filter((entry) => entry.tables === null).map((entry) => [entry.schema, entry.exclude]),
  )
  const inWholeSchema = (schema: string, name: string) => {
    const exclude = wholeSchemas.get(schema)
    return exclude !== undefined && !exclude.some((glob) => matchGlob(glob, name))
  }
  const kept = new Set<ObjectId>()
  const tablesById = new Map(model.tables.map((table) => [table.id, table]))

  const excludedBySchema = (table: TableDef) =>
    spec.objects?.some(
      (entry) => entry.schema === table.schema && entry.exclude.some((glob) => matchGlob(glob, table.name)),
    ) ?? false
  const addTable = (table: TableDef) => {
    if (kept.has(table.id)) return
    kept.add(table.id)
    for (const child of model.tables) {
      if (child.partitionOf?.parent === table.id && !excludedBySchema(child)) addTable(child)
    }
  }
  for (const selected of selection.tables) addTable(selected.table)
  for (const id of selection.sequences) kept.add(id)
  for (const object of [...model.types, ...model.functions, ...model.collations, ...model.views]) {
    if (inWholeSchema(object.schema, object.name)) kept.add(object.id)
  }

  // what the kept objects need, except tables: those are the spec's to choose
  const dependencies = new Map<ObjectId, readonly ObjectId[]>()
  for (const object of [...model.types, ...model.functions, ...model.collations, ...model.views, ...model.sequences, ...model.tables]) {
    dependencies.set(object.id, object.dependsOn)
  }
  const triggerFunctions = (table: TableDef) => table.triggers.map((trigger) => trigger.function)
  const pending = [...kept]
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    const table = tablesById.get(id)
    const needs = [...(dependencies.get(id) ?? []), ...(table === undefined ? [] : triggerFunctions(table))]
    for (const need of needs) {
      const kind = objectKindOf(need)
      if (kind === 'table' || kind === 'view' || kind === 'schema' || kept.has(need)) continue
      kept.add(need)
      pending.push(need)
    }
  }

  const notes: ScopeNote[] = []
  // a view (or function) reading a relation that is not migrated cannot be created
  for (let changed = true; changed; ) {
    changed = false
    for (const object of [...model.views, ...model.functions]) {
      if (!kept.has(object.id)) continue
      const missing = object.dependsOn.find((need) => {
        const kind = objectKindOf(need)
        return (kind === 'table' || kind === 'view') && !kept.has(need)
      })
      if (missing === undefined) continue
      kept.delete(object.id)
      changed = true
      notes.push({
        code: 'VIEW_OUT_OF_SCOPE',
        object: object.id,
        message: `${describe(object.id)} is not migrated: it reads ${describe(missing)}, which the spec does not select`,
      })
    }
  }

  const tables = model.tables
    .filter((table) => kept.has(table.id))
    .map((table): TableDef => {
      const outside = table.constraints.filter(
        (constraint) => constraint.kind === 'foreign_key' && constraint.references !== null && !kept.has(constraint.references),
      )
      for (const constraint of outside) {
        notes.push({
          code: 'FOREIGN_KEY_OUT_OF_SCOPE',
          object: table.id,
          message:
            `foreign key ${constraint.name} of ${describe(table.id)} is not created: it references ` +
            `${describe(constraint.references ?? '')}, which the spec does not select`,
        })
      }
      if (outside.length === 0) return table
      return {
        ...table,
        constraints: table.constraints.filter((constraint) => !outside.includes(constraint)),
        dependsOn: table.dependsOn.filter((need) => !outside.some((constraint) => constraint.references === need)),
      }
    })
  const sequences = model.sequences
    .filter((sequence) => kept.has(sequence.id))
    .map((sequence) => {
      if (sequence.ownedBy === null || kept.has(sequence.ownedBy.table)) return sequence
      notes.push({
        code: 'SEQUENCE_OWNER_OUT_OF_SCOPE',
        object: sequence.id,
        message:
          `${describe(sequence.id)} is migrated without its owner: it is owned by ` +
          `${describe(sequence.ownedBy.table)}, which the spec does not select`,
      })
      return { ...sequence, ownedBy: null }
    })

  const schemas = new Set<string>(wholeSchemas.keys())
  for (const object of [...tables, ...sequences, ...model.types, ...model.functions, ...model.collations, ...model.views]) {
    if (kept.has(object.id)) schemas.add(object.schema)
  }
  return {
    model: {
      serverVersion: model.serverVersion,
      schemas: model.schemas.filter((schema) => schemas.has(schema.name)),
      extensions: model.extensions.filter((extension) => kept.has(extension.id)),
      collations: model.collations.filter((collation) => kept.has(collation.id)),
      types: model.types.filter((type) => kept.has(type.id)),
      sequences,
      tables,
      views: model.views.filter((view) => kept.has(view.id)),
      functions: model.functions.filter((fn) => kept.has(fn.id)),
    },
    notes: notes.sort((a, b) => compare(a.object, b.object) || compare(a.code, b.code)),
  }
}

function describe(id: ObjectId): string {
  const colon = id.indexOf(':')
  return `${id.slice(0, colon)} ${id.slice(colon + 1)}`
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
