import type { ConstraintDef, TableDef } from '../model/schema-model.js'
import { sameConstraintDefinition, withoutNotValid } from './definitions.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import { locks } from './hazards.js'
import { Rank } from './planned-operation.js'

// A primary key or unique constraint simple enough to be built from a plain unique index.
const SIMPLE_UNIQUE = /^(PRIMARY KEY|UNIQUE) \([^()]*\)$/

/**
 * Drops of foreign keys, before anything else on tables: a foreign key must go before the
 * primary key or table it references, and a table can only be dropped once no foreign key
 * points at it (which is how two tables referencing each other are dropped).
 */
export function dropForeignKeys(ctx: DiffContext): void {
  for (const [id, table] of ctx.from.tables) {
    const next = ctx.to.tables.get(id)
    const tableGoes = !next || ctx.recreatedTables.has(id)
    for (const constraint of table.constraints) {
      if (constraint.kind !== 'foreign_key' || constraint.references === null) continue
      const referenced = constraint.references
      let drop: boolean
      if (tableGoes) {
        // Dropping the table drops its keys, unless they point at another table that goes too.
        const referencedGoes = !ctx.to.tables.has(referenced) || ctx.recreatedTables.has(referenced)
        drop = referenced !== id && referencedGoes
      } else {
        const after = next.constraints.find((candidate) => candidate.name === constraint.name)
        drop =
          !after ||
          after.kind !== constraint.kind ||
          !sameConstraintDefinition(after.definition, constraint.definition) ||
          ctx.forcedForeignKeys.has(`${id}\0${constraint.name}`)
      }
      if (!drop) continue
      const key = ctx.emit(
        {
          kind: 'drop_constraint',
          id,
          table: { schema: table.schema, name: table.name },
          name: constraint.name,
        },
        { phase: 'pre-data', role: 'alter', rank: Rank.constraint, removes: true, onExisting: true },
      )
      ctx.remember(ctx.foreignKeyDrops, referenced, key)
      if (tableGoes) ctx.remember(ctx.beforeTableDrop, id, key)
    }
  }
}

/**
 * Constraint changes of a table (`before` is empty for a table just created). A changed
 * definition is a drop and an add; foreign keys were dropped by {@link dropForeignKeys}.
 */
export function diffConstraints(
  ctx: DiffContext,
  table: TableDef,
  before: readonly ConstraintDef[],
  existing: boolean,
): void {
  const tableName = { schema: table.schema, name: table.name }
  const old = new Map(before.map((constraint) => [constraint.name, constraint]))
  const next = new Map(table.constraints.map((constraint) => [constraint.name, constraint]))
  const rebuilt = (constraint: ConstraintDef): boolean =>
    readdedColumnOf(ctx, table, constraint) !== undefined
  for (const constraint of before) {
    if (constraint.kind === 'foreign_key') continue
    const after = next.get(constraint.name)
    const kept =
      after !== undefined &&
      after.kind === constraint.kind &&
      sameConstraintDefinition(after.definition, constraint.definition) &&
      !rebuilt(constraint)
    if (kept) continue
    const unique = constraint.kind === 'primary_key' || constraint.kind === 'unique'
    const key = ctx.emit(
      { kind: 'drop_constraint', id: table.id, table: tableName, name: constraint.name },
      {
        phase: 'pre-data',
        role: 'alter',
        rank: Rank.constraint,
        node: table.id,
        removes: true,
        onExisting: existing,
        after: unique ? (ctx.foreignKeyDrops.get(table.id) ?? []) : [],
      },
    )
    const readd = readdedColumnOf(ctx, table, constraint)
    if (readd !== undefined) ctx.addEdges(readd, [key])
  }
  for (const constraint of table.constraints) {
    const previous = old.get(constraint.name)
    const same =
      previous !== undefined &&
      previous.kind === constraint.kind &&
      sameConstraintDefinition(previous.definition, constraint.definition) &&
      !rebuilt(constraint) &&
      !(constraint.kind === 'foreign_key' && ctx.forcedForeignKeys.has(`${table.id}\0${constraint.name}`))
    if (same) {
      if (constraint.validated && !previous.validated) {
        ctx.emit(
          { kind: 'validate_constraint', id: table.id, table: tableName, name: constraint.name },
          {
            phase: 'post-data',
            role: 'alter',
            rank: Rank.constraint,
            isPrerequisite: false,
            onExisting: true,
          },
        )
      }
    } else {
      addConstraint(ctx, table, constraint, existing)
    }
    const target = {
      kind: 'constraint',
      schema: table.schema,
      table: table.name,
      name: constraint.name,
    } as const
    const previousComment = same ? previous.comment : undefined
    diffComment(ctx, table.id, phaseOf(constraint), target, previousComment, constraint.comment)
  }
}

/** CHECK constraints shape what the copy may load; keys and foreign keys are built after it. */
function phaseOf(constraint: ConstraintDef): 'pre-data' | 'post-data' {
  return constraint.kind === 'check' ? 'pre-data' : 'post-data'
}

function addConstraint(
  ctx: DiffContext,
  table: TableDef,
  constraint: ConstraintDef,
  existing: boolean,
): void {
  const tableName = { schema: table.schema, name: table.name }
  const label = `${table.schema}.${table.name}`
  const definition = withoutNotValid(constraint.definition)
  const isForeignKey = constraint.kind === 'foreign_key'
  const meta = {
    phase: phaseOf(constraint),
    role: 'alter',
    rank: isForeignKey ? Rank.foreignKey : Rank.constraint,
    node: table.id,
    needs: [
      ...ctx.to.dependenciesOf(table.id),
      ...(constraint.references ? [constraint.references] : []),
    ],
    // Nothing waits for a foreign key; that keeps two tables referencing each other apart.
    isPrerequisite: !isForeignKey,
    onExisting: existing,
  } as const
  const base = {
    kind: 'add_constraint',
    id: table.id,
    table: tableName,
    name: constraint.name,
    constraintKind: constraint.kind,
    definition,
  } as const

  const lockAware = ctx.lockAware && existing
  // NOT VALID is refused for foreign keys on partitioned tables.
  const deferValidation =
    lockAware &&
    constraint.validated &&
    (constraint.kind === 'check' || (isForeignKey && table.kind === 'table'))
  if (deferValidation) {
    const note = 'added NOT VALID (no scan under lock), validated by a separate statement'
    const added = ctx.emit({ ...base, notValid: true, usingIndex: null, note }, meta)
    ctx.emit(
      { kind: 'validate_constraint', id: table.id, table: tableName, name: constraint.name, note },
      { ...meta, phase: 'post-data', isPrerequisite: false, after: [added] },
    )
    return
  }
  if (lockAware && table.kind === 'table' && SIMPLE_UNIQUE.test(definition)) {
    const note = 'index built CONCURRENTLY first, then attached as the constraint (USING INDEX)'
    const built = ctx.emit(
      {
        kind: 'create_constraint_index',
        id: table.id,
        index: { schema: table.schema, name: constraint.name },
        table: tableName,
        constraintDefinition: definition,
        concurrently: true,
        transactional: false,
        note,
      },
      meta,
    )
    ctx.emit(
      {
        ...base,
        notValid: false,
        usingIndex: constraint.name,
        hazards:
          constraint.kind === 'primary_key'
            ? [locks(`sets NOT NULL on the key columns of ${label}, scanning it if they allow nulls`)]
            : [],
        note,
      },
      { ...meta, after: [built] },
    )
    return
  }
  const hazards = []
  if (existing && constraint.validated) {
    if (constraint.kind === 'check') {
      hazards.push(locks(`scans ${label} under an ACCESS EXCLUSIVE lock to validate ${constraint.name}`))
    } else if (isForeignKey) {
      hazards.push(locks(`scans ${label} to validate ${constraint.name}, blocking writes to both tables`))
    } else {
      hazards.push(
        locks(`builds the index of ${constraint.name} under an ACCESS EXCLUSIVE lock on ${label}`),
      )
    }
  }
  ctx.emit({ ...base, notValid: !constraint.validated, usingIndex: null, hazards }, meta)
}

/** The drop_column key of a re-added column the constraint involves, if any. */
function readdedColumnOf(
  ctx: DiffContext,
  table: TableDef,
  constraint: ConstraintDef,
): number | undefined {
  for (const [key, drop] of ctx.readdDrops) {
    const [tableId, column] = key.split('\0')
    if (tableId !== table.id || column === undefined) continue
    if (constraint.columns.includes(column) || constraint.definition.includes(column)) return drop
  }
  return undefined
}
