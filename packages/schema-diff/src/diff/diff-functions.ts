import type { FunctionDef } from '../model/schema-model.js'
import { sameStatement } from './definitions.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import type { FunctionName } from './operation.js'
import { Rank } from './planned-operation.js'

/**
 * Whether a changed function must be dropped and created: CREATE OR REPLACE cannot change the
 * result type (OUT parameters included) or turn a function into a procedure, and an aggregate's
 * definition is a plain CREATE AGGREGATE.
 */
export function requiresFunctionRecreate(before: FunctionDef, after: FunctionDef): boolean {
  if (before.kind !== after.kind || before.returns !== after.returns) return true
  return after.kind === 'aggregate' && !sameStatement(before.definition, after.definition)
}

/**
 * Functions and procedures, in pre-data: column defaults, CHECK constraints and domains may
 * call them. Their bodies are not checked against tables that do not exist yet only when the
 * session runs with check_function_bodies = false, as pg_restore does.
 */
export function diffFunctions(ctx: DiffContext): void {
  for (const [id, routine] of ctx.from.functions) {
    const next = ctx.to.functions.get(id)
    if (next && !requiresFunctionRecreate(routine, next)) continue
    ctx.emit(
      { kind: 'drop_function', id, function: nameOf(routine), routineKind: routine.kind },
      { phase: 'pre-data', role: 'drop', rank: Rank.function },
    )
  }
  for (const [id, routine] of ctx.to.functions) {
    const before = ctx.from.functions.get(id)
    const recreated = before !== undefined && requiresFunctionRecreate(before, routine)
    const base = { id, function: nameOf(routine), routineKind: routine.kind, definition: routine.definition }
    const needs = ctx.to.dependenciesOf(id)
    if (!before || recreated) {
      ctx.emit(
        {
          ...base,
          kind: 'create_function',
          note: recreated ? 'the result type changes, which CREATE OR REPLACE cannot do: dropped and created' : null,
        },
        { phase: 'pre-data', role: 'create', rank: Rank.function, needs },
      )
    } else if (!sameStatement(before.definition, routine.definition)) {
      ctx.emit({ ...base, kind: 'replace_function' }, { phase: 'pre-data', role: 'alter', rank: Rank.function, needs })
    }
    const target = { kind: routine.kind, ...nameOf(routine) } as const
    diffComment(ctx, id, 'pre-data', target, recreated ? undefined : before?.comment, routine.comment)
  }
}

function nameOf(routine: FunctionDef): FunctionName {
  return { schema: routine.schema, name: routine.name, identityArguments: routine.identityArguments }
}
