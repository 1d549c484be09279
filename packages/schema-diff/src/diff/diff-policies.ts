import type { PolicyDef, TableDef } from '../model/schema-model.js'
import { sameExpression } from './definitions.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import { Rank } from './planned-operation.js'

/**
 * Row-level security policies of a table: ALTER POLICY for new roles or expressions; a drop and
 * a create when the command or permissiveness changes, or an expression is removed (which
 * ALTER POLICY cannot do).
 */
export function diffPolicies(
  ctx: DiffContext,
  table: TableDef,
  before: readonly PolicyDef[],
  existing: boolean,
): void {
  const tableName = { schema: table.schema, name: table.name }
  const old = new Map(before.map((policy) => [policy.name, policy]))
  const next = new Map(table.policies.map((policy) => [policy.name, policy]))
  for (const policy of before) {
    const after = next.get(policy.name)
    if (after && alterable(policy, after)) continue
    ctx.emit(
      { kind: 'drop_policy', id: table.id, table: tableName, name: policy.name },
      { phase: 'pre-data', role: 'alter', rank: Rank.policy, removes: true, onExisting: existing },
    )
  }
  const meta = {
    phase: 'post-data',
    role: 'alter',
    rank: Rank.policy,
    isPrerequisite: false,
    needs: ctx.to.dependenciesOf(table.id),
    onExisting: existing,
  } as const
  for (const policy of table.policies) {
    const previous = old.get(policy.name)
    const kept = previous !== undefined && alterable(previous, policy)
    if (!kept) {
      ctx.emit(
        {
          kind: 'create_policy',
          id: table.id,
          table: tableName,
          name: policy.name,
          permissive: policy.permissive,
          command: policy.command,
          roles: [...policy.roles].sort(),
          using: policy.using,
          withCheck: policy.withCheck,
        },
        meta,
      )
    } else {
      const rolesChanged =
        JSON.stringify([...previous.roles].sort()) !== JSON.stringify([...policy.roles].sort())
      const usingChanged = !sameExpression(previous.using, policy.using)
      const checkChanged = !sameExpression(previous.withCheck, policy.withCheck)
      if (rolesChanged || usingChanged || checkChanged) {
        ctx.emit(
          {
            kind: 'alter_policy',
            id: table.id,
            table: tableName,
            name: policy.name,
            roles: rolesChanged ? [...policy.roles].sort() : null,
            using: usingChanged ? policy.using : null,
            withCheck: checkChanged ? policy.withCheck : null,
          },
          meta,
        )
      }
    }
    const target = { kind: 'policy', schema: table.schema, table: table.name, name: policy.name } as const
    diffComment(ctx, table.id, 'post-data', target, kept ? previous.comment : undefined, policy.comment)
  }
}

/** Whether ALTER POLICY can turn `before` into `after`. */
function alterable(before: PolicyDef, after: PolicyDef): boolean {
  return (
    before.permissive === after.permissive &&
    before.command === after.command &&
    (after.using !== null || before.using === null) &&
    (after.withCheck !== null || before.withCheck === null)
  )
}
