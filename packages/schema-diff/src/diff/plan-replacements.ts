import type { ObjectId } from '../model/schema-model.js'
import { sameConstraintDefinition } from './definitions.js'
import { sameCollation } from './diff-collations.js'
import { changesColumnsUnderViews, requiresReadd } from './diff-columns.js'
import type { DiffContext } from './diff-context.js'
import { requiresFunctionRecreate } from './diff-functions.js'
import { sameIndexDefinition } from './diff-indexes.js'
import { requiresTableRecreate } from './diff-tables.js'
import { columnsUsingType, replacedTypes } from './diff-types.js'
import { requiresViewRecreate } from './diff-views.js'

/**
 * Decides, before any operation is emitted, what has to go and come back because something it
 * depends on changes in a way PostgreSQL does not carry through:
 * - tables whose kind or partition key changes are recreated;
 * - views over anything dropped, recreated or replaced, over a table losing a column or
 *   changing a column's type or collation, or over such a view, are dropped and created again
 *   (PostgreSQL refuses those changes while a view depends on them);
 * - foreign keys referencing a recreated table, or a table whose primary key, unique
 *   constraints or unique indexes are dropped or rebuilt, are dropped and added again.
 */
export function planReplacements(ctx: DiffContext): void {
  for (const [id, table] of ctx.from.tables) {
    const next = ctx.to.tables.get(id)
    if (next && requiresTableRecreate(table, next)) ctx.recreatedTables.add(id)
    if (!next) continue
    for (const column of table.columns) {
      const other = next.columns.find((candidate) => candidate.name === column.name)
      if (other && requiresReadd(column, other, ctx.serverVersion)) {
        ctx.readdedColumns.add(`${id}\0${column.name}`)
      }
    }
  }

  const invalidated = ctx.invalidated
  for (const object of ctx.from.allObjects()) {
    if (!ctx.to.has(object.id)) invalidated.add(object.id)
  }
  for (const id of ctx.recreatedTables) invalidated.add(id)
  for (const [id, table] of ctx.from.tables) {
    const next = ctx.to.tables.get(id)
    if (next && changesColumnsUnderViews(table, next, ctx.serverVersion)) invalidated.add(id)
  }
  for (const id of replacedTypes(ctx)) {
    invalidated.add(id)
    const type = ctx.from.types.get(id)
    if (type) for (const { table } of columnsUsingType(ctx, type)) invalidated.add(table.id)
  }
  for (const [id, routine] of ctx.from.functions) {
    const next = ctx.to.functions.get(id)
    if (next && requiresFunctionRecreate(routine, next)) invalidated.add(id)
  }
  for (const [id, collation] of ctx.from.collations) {
    const next = ctx.to.collations.get(id)
    if (next && !sameCollation(collation, next)) invalidated.add(id)
  }
  for (const [id, view] of ctx.from.views) {
    const next = ctx.to.views.get(id)
    if (next && requiresViewRecreate(view, next)) invalidated.add(id)
  }
  // Views over views: repeat until nothing more falls.
  let changed = true
  while (changed) {
    changed = false
    for (const id of ctx.from.views.keys()) {
      if (!ctx.to.views.has(id) || ctx.forcedViews.has(id)) continue
      if (ctx.from.dependenciesOf(id).some((dependency) => invalidated.has(dependency))) {
        ctx.forcedViews.add(id)
        invalidated.add(id)
        changed = true
      }
    }
  }

  for (const [id, table] of ctx.from.tables) {
    const next = ctx.to.tables.get(id)
    if (!next || ctx.recreatedTables.has(id)) continue
    for (const constraint of table.constraints) {
      if (constraint.kind !== 'foreign_key' || constraint.references === null) continue
      const referenced = constraint.references
      if (ctx.recreatedTables.has(referenced) || losesUniqueness(ctx, referenced)) {
        ctx.forcedForeignKeys.add(`${id}\0${constraint.name}`)
      }
    }
  }
}

/** Whether a primary key, unique constraint or unique index of the table is dropped or rebuilt. */
function losesUniqueness(ctx: DiffContext, id: ObjectId): boolean {
  const table = ctx.from.tables.get(id)
  const next = ctx.to.tables.get(id)
  if (!table || !next) return false
  const constraintGoes = table.constraints.some((constraint) => {
    if (constraint.kind !== 'primary_key' && constraint.kind !== 'unique') return false
    const other = next.constraints.find((candidate) => candidate.name === constraint.name)
    return !other || !sameConstraintDefinition(other.definition, constraint.definition)
  })
  const indexGoes = table.indexes.some((index) => {
    if (!index.unique) return false
    const other = next.indexes.find((candidate) => candidate.name === index.name)
    return !other || !sameIndexDefinition(other, index)
  })
  return constraintGoes || indexGoes
}
