import { objectId } from '../model/object-id.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import { destructive } from './hazards.js'
import { Rank } from './planned-operation.js'

/** CREATE EXTENSION IF NOT EXISTS, ALTER EXTENSION UPDATE TO / SET SCHEMA, DROP EXTENSION. */
export function diffExtensions(ctx: DiffContext): void {
  for (const [id, extension] of ctx.from.extensions) {
    if (ctx.to.extensions.has(id)) continue
    ctx.emit(
      {
        kind: 'drop_extension',
        id,
        name: extension.name,
        hazards: [destructive(`drops extension ${extension.name} with its objects and their data`)],
      },
      { phase: 'pre-data', role: 'drop', rank: Rank.extension },
    )
  }
  for (const [id, extension] of ctx.to.extensions) {
    const before = ctx.from.extensions.get(id)
    const needs = [objectId('schema', null, extension.schema)]
    if (!before) {
      ctx.emit(
        {
          kind: 'create_extension',
          id,
          name: extension.name,
          schema: extension.schema,
          version: extension.version,
          note: 'IF NOT EXISTS: an extension installed outside the compared schemas is kept',
        },
        { phase: 'pre-data', role: 'create', rank: Rank.extension, needs },
      )
    } else {
      if (before.schema !== extension.schema) {
        ctx.emit(
          {
            kind: 'alter_extension_set_schema',
            id,
            name: extension.name,
            schema: extension.schema,
          },
          { phase: 'pre-data', role: 'alter', rank: Rank.extension, needs },
        )
      }
      if (before.version !== extension.version) {
        ctx.emit(
          { kind: 'alter_extension_update', id, name: extension.name, version: extension.version },
          { phase: 'pre-data', role: 'alter', rank: Rank.extension },
        )
      }
    }
    const target = { kind: 'extension', name: extension.name } as const
    diffComment(ctx, id, 'pre-data', target, before?.comment, extension.comment)
  }
}
