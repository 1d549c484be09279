import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import { Rank } from './planned-operation.js'

/** CREATE SCHEMA / DROP SCHEMA and their comments. */
export function diffNamespaces(ctx: DiffContext): void {
  for (const [id, schema] of ctx.from.schemas) {
    if (ctx.to.schemas.has(id)) continue
    // No CASCADE: everything in it is dropped one by one before, in dependency order.
    ctx.emit(
      { kind: 'drop_schema', id, name: schema.name },
      { phase: 'pre-data', role: 'drop', rank: Rank.schema },
    )
  }
  for (const [id, schema] of ctx.to.schemas) {
    const before = ctx.from.schemas.get(id)
    if (!before) {
      ctx.emit(
        { kind: 'create_schema', id, name: schema.name },
        { phase: 'pre-data', role: 'create', rank: Rank.schema },
      )
    }
    const target = { kind: 'schema', name: schema.name } as const
    diffComment(ctx, id, 'pre-data', target, before?.comment, schema.comment)
  }
}
