import type { TableDef, TriggerDef, ViewDef } from '../model/schema-model.js'
import { sameStatement } from './definitions.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import type { OperationDraft } from './diff-context.js'
import { Rank } from './planned-operation.js'

const MODES = { O: 'origin', R: 'replica', A: 'always' } as const

/**
 * Trigger changes of a table or view: a changed definition is a drop and a create (there is no ALTER
 * for it); a changed firing state is ENABLE [REPLICA | ALWAYS] / DISABLE TRIGGER.
 */
export function diffTriggers(
  ctx: DiffContext,
  table: Pick<TableDef | ViewDef, 'id' | 'schema' | 'name' | 'triggers'>,
  before: readonly TriggerDef[],
  existing: boolean,
): void {
  const tableName = { schema: table.schema, name: table.name }
  const old = new Map(before.map((trigger) => [trigger.name, trigger]))
  const next = new Map(table.triggers.map((trigger) => [trigger.name, trigger]))
  for (const trigger of before) {
    const after = next.get(trigger.name)
    if (after && sameStatement(after.definition, trigger.definition)) continue
    ctx.emit(
      { kind: 'drop_trigger', id: table.id, table: tableName, name: trigger.name },
      { phase: 'pre-data', role: 'alter', rank: Rank.trigger, removes: true, onExisting: existing },
    )
  }
  const meta = {
    phase: 'post-data',
    role: 'alter',
    rank: Rank.trigger,
    // Nobody needs a trigger to exist; it only needs its function and table.
    isPrerequisite: false,
    onExisting: existing,
  } as const
  for (const trigger of table.triggers) {
    const previous = old.get(trigger.name)
    const kept = previous !== undefined && sameStatement(previous.definition, trigger.definition)
    let after: number[] = []
    if (!kept) {
      after = [
        ctx.emit(
          {
            kind: 'create_trigger',
            id: table.id,
            table: tableName,
            name: trigger.name,
            definition: trigger.definition,
          },
          { ...meta, needs: [...ctx.to.dependenciesOf(table.id), trigger.function] },
        ),
      ]
    }
    const state = kept ? previous.enabled : 'O'
    if (state !== trigger.enabled) {
      const draft: OperationDraft =
        trigger.enabled === 'D'
          ? { kind: 'disable_trigger', id: table.id, table: tableName, name: trigger.name }
          : {
              kind: 'enable_trigger',
              id: table.id,
              table: tableName,
              name: trigger.name,
              mode: MODES[trigger.enabled],
            }
      ctx.emit(draft, { ...meta, after })
    }
    const target = {
      kind: 'trigger',
      schema: table.schema,
      table: table.name,
      name: trigger.name,
    } as const
    diffComment(ctx, table.id, 'post-data', target, kept ? previous.comment : undefined, trigger.comment)
  }
}
