import type { ViewDef } from '../model/schema-model.js'
import { sameStatement } from './definitions.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import { diffIndexes } from './diff-indexes.js'
import { diffTriggers } from './diff-triggers.js'
import { Rank } from './planned-operation.js'

/**
 * Whether a changed view must be dropped and created: a materialized view cannot be replaced,
 * and CREATE OR REPLACE VIEW only accepts the same columns with new ones appended at the end.
 */
export function requiresViewRecreate(before: ViewDef, after: ViewDef): boolean {
  if (before.kind !== after.kind) return true
  if (sameView(before, after)) return false
  if (after.kind === 'materialized') return true
  if (after.columns.length < before.columns.length) return true
  return before.columns.some((column, index) => {
    const next = after.columns[index]
    return next === undefined || next.name !== column.name || next.type !== column.type
  })
}

function sameView(a: ViewDef, b: ViewDef): boolean {
  return (
    // pg_get_viewdef text, or a query the spec's renames deparsed: compared as statements.
    sameStatement(a.definition, b.definition) &&
    JSON.stringify([...a.options].sort()) === JSON.stringify([...b.options].sort()) &&
    JSON.stringify(a.columns) === JSON.stringify(b.columns)
  )
}

/**
 * Views and materialized views, in post-data (a materialized view is filled once the tables
 * hold their data): CREATE, CREATE OR REPLACE, DROP, REFRESH; views that had to go because
 * something under them changed (see forced replacements) are created again.
 */
export function diffViews(ctx: DiffContext): void {
  const recreated = (view: ViewDef): boolean => {
    const next = ctx.to.views.get(view.id)
    return next !== undefined && (requiresViewRecreate(view, next) || ctx.forcedViews.has(view.id))
  }
  for (const [id, view] of ctx.from.views) {
    if (ctx.to.views.has(id) && !recreated(view)) continue
    ctx.emit(
      { kind: 'drop_view', id, view: { schema: view.schema, name: view.name }, viewKind: view.kind },
      { phase: 'pre-data', role: 'drop', rank: Rank.view },
    )
  }
  for (const [id, view] of ctx.to.views) {
    const before = ctx.from.views.get(id)
    const kept = before !== undefined && !recreated(before)
    const name = { schema: view.schema, name: view.name }
    const needs = ctx.to.dependenciesOf(id)
    const meta = { phase: 'post-data', role: 'alter', rank: Rank.view, needs } as const
    if (!kept) {
      ctx.emit(
        {
          kind: 'create_view',
          id,
          view: name,
          viewKind: view.kind,
          definition: view.definition,
          options: [...view.options].sort(),
          note: before ? 'dropped and created again: it cannot be replaced in place' : null,
        },
        { ...meta, role: 'create' },
      )
      if (view.kind === 'materialized') {
        ctx.emit({ kind: 'refresh_materialized_view', id, view: name }, { ...meta, rank: Rank.refresh })
      }
    } else if (!sameView(before, view)) {
      ctx.emit(
        {
          kind: 'replace_view',
          id,
          view: name,
          definition: view.definition,
          options: [...view.options].sort(),
        },
        meta,
      )
    }
    diffIndexes(
      ctx,
      {
        id,
        schema: view.schema,
        name: view.name,
        isPartitioned: false,
        parent: null,
        readdedColumns: new Map(),
      },
      kept ? before.indexes : [],
      view.indexes,
      kept,
    )
    diffTriggers(ctx, view, kept ? before.triggers : [], kept)
    const kind = view.kind === 'materialized' ? 'materialized_view' : 'view'
    diffComment(ctx, id, 'post-data', { kind, ...name }, kept ? before.comment : undefined, view.comment)
    const columns = new Set([
      ...Object.keys(view.columnComments),
      ...Object.keys(kept ? before.columnComments : {}),
    ])
    for (const column of [...columns].sort()) {
      const target = { kind: 'column', schema: view.schema, table: view.name, name: column } as const
      const previous = kept ? (before.columnComments[column] ?? null) : undefined
      diffComment(ctx, id, 'post-data', target, previous, view.columnComments[column] ?? null)
    }
  }
}
