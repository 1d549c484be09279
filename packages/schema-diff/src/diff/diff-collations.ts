import type { CollationDef } from '../model/schema-model.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import { Rank } from './planned-operation.js'

/** CREATE / DROP COLLATION; a changed collation cannot be altered, so it is dropped and created. */
export function diffCollations(ctx: DiffContext): void {
  for (const [id, collation] of ctx.from.collations) {
    const after = ctx.to.collations.get(id)
    if (after && sameCollation(collation, after)) continue
    ctx.emit(
      { kind: 'drop_collation', id, collation: { schema: collation.schema, name: collation.name } },
      { phase: 'pre-data', role: 'drop', rank: Rank.collation },
    )
  }
  for (const [id, collation] of ctx.to.collations) {
    const before = ctx.from.collations.get(id)
    const kept = before !== undefined && sameCollation(before, collation)
    if (!kept) {
      ctx.emit(
        {
          kind: 'create_collation',
          id,
          collation: { schema: collation.schema, name: collation.name },
          provider: collation.provider,
          locale: collation.locale,
          lcCollate: collation.lcCollate,
          lcCtype: collation.lcCtype,
          deterministic: collation.deterministic,
        },
        {
          phase: 'pre-data',
          role: 'create',
          rank: Rank.collation,
          needs: ctx.to.dependenciesOf(id),
        },
      )
    }
    const target = { kind: 'collation', schema: collation.schema, name: collation.name } as const
    diffComment(ctx, id, 'pre-data', target, kept ? before.comment : undefined, collation.comment)
  }
}

/** Whether the collation can stay as it is. */
export function sameCollation(a: CollationDef, b: CollationDef): boolean {
  return (
    a.provider === b.provider &&
    a.locale === b.locale &&
    a.lcCollate === b.lcCollate &&
    a.lcCtype === b.lcCtype &&
    a.deterministic === b.deterministic
  )
}
