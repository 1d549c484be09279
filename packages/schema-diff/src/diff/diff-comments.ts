import type { ObjectId } from '../model/schema-model.js'
import type { DiffContext } from './diff-context.js'
import type { CommentTarget, Phase } from './operation.js'
import { Rank } from './planned-operation.js'

/**
 * COMMENT ON target IS ... when the comment changes (`before` undefined: the object is new, so
 * only a non-null comment is set).
 */
export function diffComment(
  ctx: DiffContext,
  id: ObjectId,
  phase: Phase,
  target: CommentTarget,
  before: string | null | undefined,
  after: string | null,
): void {
  if (before === after || (before === undefined && after === null)) return
  ctx.emit(
    { kind: 'comment_on', id, target, comment: after },
    // Comments change nothing anyone depends on, so they never hold others up.
    { phase, role: 'alter', rank: Rank.comment, isPrerequisite: false },
  )
}
