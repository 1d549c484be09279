import { objectId } from '../model/object-id.js'
import type {
  ColumnDef,
  CompositeTypeDef,
  DomainConstraintDef,
  DomainTypeDef,
  EnumTypeDef,
  ObjectId,
  TableDef,
  TypeDef,
} from '../model/schema-model.js'
import { quoteIdentifier, quoteQualifiedName } from '../sql/quote-identifier.js'
import { sameConstraintDefinition, sameExpression, withoutNotValid } from './definitions.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import { destructive, locks, rewrite, unsafeCast } from './hazards.js'
import type { QualifiedName } from './operation.js'
import { Rank } from './planned-operation.js'

/**
 * How a type that exists on both sides changes:
 * - `keep`: it does not;
 * - `alter`: in place (ADD VALUE, ALTER DOMAIN, ALTER TYPE ... ATTRIBUTE);
 * - `replace`: rename the old type aside, create the new one, move every column to it with
 *   `USING column::text::type`, drop the old one (the only way to remove or reorder enum labels);
 * - `drop_create`: drop and create (range types, which no column should be using).
 */
export type TypeStrategy = 'keep' | 'alter' | 'replace' | 'drop_create'

/**
 * Decides how `from` becomes `to` (same id); `inUse` when table columns have the type
 * (ALTER ATTRIBUTE ... TYPE is refused then).
 */
export function typeStrategy(from: TypeDef, to: TypeDef, inUse: boolean): TypeStrategy {
  if (from.kind !== to.kind) return 'replace'
  switch (from.kind) {
    case 'enum': {
      const next = to as EnumTypeDef
      if (sameList(from.labels, next.labels)) return 'keep'
      return isSubsequence(from.labels, next.labels) ? 'alter' : 'replace'
    }
    case 'domain': {
      const next = to as DomainTypeDef
      if (from.baseType !== next.baseType || from.collation !== next.collation) return 'replace'
      const same =
        sameExpression(from.default, next.default) &&
        from.notNull === next.notNull &&
        sameDomainConstraints(from.constraints, next.constraints)
      return same ? 'keep' : 'alter'
    }
    case 'composite': {
      const next = to as CompositeTypeDef
      if (JSON.stringify(from.attributes) === JSON.stringify(next.attributes)) return 'keep'
      // Attributes kept must stay in their order, and new ones can only be appended.
      const names = new Set(next.attributes.map((attribute) => attribute.name))
      const kept = from.attributes.filter((attribute) => names.has(attribute.name)).map((a) => a.name)
      const keptNext = next.attributes.slice(0, kept.length).map((attribute) => attribute.name)
      const retyped = from.attributes.some((attribute) => {
        const other = next.attributes.find((candidate) => candidate.name === attribute.name)
        return (
          other !== undefined &&
          (other.type !== attribute.type || other.collation !== attribute.collation)
        )
      })
      return sameList(kept, keptNext) && !(inUse && retyped) ? 'alter' : 'replace'
    }
    case 'range': {
      const { comment: _a, dependsOn: _b, ...rest } = from
      const { comment: _c, dependsOn: _d, ...nextRest } = to
      return JSON.stringify(rest) === JSON.stringify(nextRest) ? 'keep' : 'drop_create'
    }
  }
}

/** Types: create, drop, alter in place or replace (see {@link TypeStrategy}). */
export function diffTypes(ctx: DiffContext): void {
  for (const [id, type] of ctx.from.types) {
    const next = ctx.to.types.get(id)
    if (next && strategyOf(ctx, type, next) !== 'drop_create') continue
    dropType(ctx, type, type.name, 'drop')
  }
  for (const [id, type] of ctx.to.types) {
    const before = ctx.from.types.get(id)
    const strategy = before ? strategyOf(ctx, before, type) : 'drop_create'
    if (strategy === 'drop_create') createType(ctx, type)
    else if (strategy === 'replace' && before) replaceType(ctx, before, type)
    else if (strategy === 'alter' && before) alterType(ctx, before, type)
    const kept = strategy === 'keep' || strategy === 'alter'
    const target = {
      kind: type.kind === 'domain' ? 'domain' : 'type',
      schema: type.schema,
      name: type.name,
    } as const
    diffComment(ctx, id, 'pre-data', target, kept ? before?.comment : undefined, type.comment)
  }
}

function strategyOf(ctx: DiffContext, before: TypeDef, after: TypeDef): TypeStrategy {
  return typeStrategy(before, after, columnsUsingType(ctx, before).length > 0)
}

/** Columns of kept tables whose type is `type` (or an array of it) on both sides. */
export function columnsUsingType(
  ctx: DiffContext,
  type: TypeDef,
): { table: TableDef; column: ColumnDef; next: ColumnDef }[] {
  const names = new Set([quoteQualifiedName(type.schema, type.name), quoteIdentifier(type.name)])
  const result: { table: TableDef; column: ColumnDef; next: ColumnDef }[] = []
  for (const [id, table] of ctx.from.tables) {
    const nextTable = ctx.to.tables.get(id)
    if (!nextTable || !ctx.isKept(id)) continue
    for (const column of table.columns) {
      if (!names.has(column.type.replace(/(\[\])+$/, ''))) continue
      const next = nextTable.columns.find((candidate) => candidate.name === column.name)
      if (next && next.type === column.type && sameExpression(next.generated, column.generated)) {
        result.push({ table, column, next })
      }
    }
  }
  return result
}

function createType(ctx: DiffContext, type: TypeDef): void {
  const name = { schema: type.schema, name: type.name }
  const meta = {
    phase: 'pre-data',
    role: 'create',
    rank: Rank.type,
    needs: ctx.to.dependenciesOf(type.id),
  } as const
  switch (type.kind) {
    case 'enum':
      ctx.emit({ kind: 'create_enum_type', id: type.id, type: name, labels: type.labels }, meta)
      return
    case 'composite':
      ctx.emit(
        { kind: 'create_composite_type', id: type.id, type: name, attributes: type.attributes },
        meta,
      )
      return
    case 'range':
      ctx.emit(
        {
          kind: 'create_range_type',
          id: type.id,
          type: name,
          subtype: type.subtype,
          subtypeOpclass: type.subtypeOpclass,
          collation: type.collation,
          canonical: type.canonical,
          subtypeDiff: type.subtypeDiff,
          // Naming the multirange needs PostgreSQL 14; before it there is none.
          multirangeName: ctx.serverVersion >= 140000 ? type.multirangeName : null,
        },
        meta,
      )
      return
    case 'domain': {
      ctx.emit(
        {
          kind: 'create_domain',
          id: type.id,
          domain: name,
          baseType: type.baseType,
          collation: type.collation,
          default: type.default,
          notNull: type.notNull,
          constraints: sortByName(type.constraints)
            .filter((constraint) => constraint.validated)
            .map(({ name: constraintName, definition }) => ({
              name: constraintName,
              definition: withoutNotValid(definition),
            })),
        },
        meta,
      )
      for (const constraint of sortByName(type.constraints)) {
        if (constraint.validated) continue
        ctx.emit(
          {
            kind: 'alter_domain_add_constraint',
            id: type.id,
            domain: name,
            name: constraint.name,
            definition: withoutNotValid(constraint.definition),
            notValid: true,
          },
          { ...meta, role: 'alter' },
        )
      }
    }
  }
}

function dropType(ctx: DiffContext, type: TypeDef, name: string, role: 'drop' | 'alter'): number {
  const target = { schema: type.schema, name }
  return ctx.emit(
    type.kind === 'domain'
      ? { kind: 'drop_domain', id: type.id, domain: target }
      : { kind: 'drop_type', id: type.id, type: target },
    // The old type of a replacement: nothing waits for it to go.
    { phase: 'pre-data', role, rank: Rank.type, isPrerequisite: false },
  )
}

/**
 * Rename aside, create, move the columns (dropping defaults that name the old type first: they
 * cannot be cast), drop the old type. The diff of each column sets its default again.
 */
function replaceType(ctx: DiffContext, before: TypeDef, after: TypeDef): void {
  const asideName = asideNameFor(before.name)
  const columns = columnsUsingType(ctx, before)
  const removed =
    before.kind === 'enum' && after.kind === 'enum'
      ? before.labels.filter((label) => !after.labels.includes(label))
      : []
  const renameDraft =
    before.kind === 'domain'
      ? { kind: 'rename_domain' as const, id: before.id, domain: nameOf(before), newName: asideName }
      : { kind: 'rename_type' as const, id: before.id, type: nameOf(before), newName: asideName }
  const rename = ctx.emit(
    {
      ...renameDraft,
      note:
        `${describe(before)} cannot be changed in place: renamed aside, created anew, ` +
        `${columns.length} column(s) moved to it through text, then the old one dropped`,
    },
    {
      phase: 'pre-data',
      role: 'alter',
      rank: Rank.type,
      node: objectId('type', before.schema, asideName),
      onExisting: true,
    },
  )
  const created = ctx.planned.length
  createType(ctx, after)
  const createKeys = ctx.planned.slice(created).map((op) => op.key)
  for (const key of createKeys) ctx.addEdges(key, [rename])
  const moves: number[] = []
  for (const { table, column } of columns) {
    const tableName = { schema: table.schema, name: table.name }
    const columnKey = `${table.id}\0${column.name}`
    const hazards = [
      rewrite(`rewrites ${table.schema}.${table.name} to move ${column.name} to the new ${after.name}`),
      locks(`holds an ACCESS EXCLUSIVE lock on ${table.schema}.${table.name} during the rewrite`),
    ]
    if (removed.length > 0) {
      hazards.push(
        unsafeCast(`rows of ${column.name} holding ${removed.join(', ')} fail the cast`),
        destructive(`enum labels ${removed.join(', ')} are removed`),
      )
    } else if (before.kind !== 'enum' || after.kind !== 'enum') {
      hazards.push(unsafeCast(`values of ${column.name} that do not fit the new ${after.name} fail`))
    }
    const meta = {
      phase: 'pre-data',
      role: 'alter',
      rank: Rank.column,
      node: table.id,
      needs: [after.id],
      after: [rename, ...createKeys],
      onExisting: true,
    } as const
    const dropDefault =
      column.default === null
        ? []
        : [
            ctx.emit(
              { kind: 'alter_column_drop_default', id: table.id, table: tableName, column: column.name },
              meta,
            ),
          ]
    const move = ctx.emit(
      {
        kind: 'alter_column_type',
        id: table.id,
        table: tableName,
        column: column.name,
        dataType: column.type,
        collation: column.collation,
        using: 'cast_via_text',
        hazards,
      },
      { ...meta, after: [...meta.after, ...dropDefault] },
    )
    ctx.retypedColumns.set(columnKey, move)
    moves.push(move)
  }
  const drop = dropType(ctx, before, asideName, 'alter')
  ctx.addEdges(drop, [rename, ...createKeys, ...moves])
}

function alterType(ctx: DiffContext, before: TypeDef, after: TypeDef): void {
  const meta = { phase: 'pre-data', role: 'alter', rank: Rank.type, onExisting: true } as const
  const name = nameOf(after)
  if (before.kind === 'enum' && after.kind === 'enum') {
    const existing = new Set(before.labels)
    const firstOld = after.labels.find((label) => existing.has(label)) ?? null
    after.labels.forEach((label, index) => {
      if (existing.has(label)) return
      const previous = index > 0 ? (after.labels[index - 1] ?? null) : null
      ctx.emit(
        {
          kind: 'alter_type_add_value',
          id: after.id,
          type: name,
          value: label,
          before: previous === null ? firstOld : null,
          after: previous,
          // Before PostgreSQL 12 ADD VALUE cannot run in a transaction block at all; since, the
          // new label cannot be used (by a default, a check) until the transaction commits.
          transactional: false,
          note: 'runs on its own so that the new label is committed before anything uses it',
        },
        meta,
      )
    })
    return
  }
  if (before.kind === 'domain' && after.kind === 'domain') {
    alterDomain(ctx, before, after)
    return
  }
  if (before.kind === 'composite' && after.kind === 'composite') {
    const used = columnsUsingType(ctx, before).length > 0
    const nextNames = new Set(after.attributes.map((attribute) => attribute.name))
    for (const attribute of before.attributes) {
      if (nextNames.has(attribute.name)) continue
      ctx.emit(
        {
          kind: 'alter_type_drop_attribute',
          id: after.id,
          type: name,
          attribute: attribute.name,
          hazards: used ? [destructive(`drops ${attribute.name} from every value of ${after.name}`)] : [],
        },
        meta,
      )
    }
    for (const attribute of after.attributes) {
      const old = before.attributes.find((candidate) => candidate.name === attribute.name)
      if (!old) {
        ctx.emit(
          { kind: 'alter_type_add_attribute', id: after.id, type: name, attribute },
          { ...meta, needs: ctx.to.dependenciesOf(after.id) },
        )
      } else if (old.type !== attribute.type || old.collation !== attribute.collation) {
        ctx.emit(
          { kind: 'alter_type_alter_attribute', id: after.id, type: name, attribute },
          { ...meta, needs: ctx.to.dependenciesOf(after.id) },
        )
      }
    }
  }
}

function alterDomain(ctx: DiffContext, before: DomainTypeDef, after: DomainTypeDef): void {
  const domain = nameOf(after)
  const usedBy = columnsUsingType(ctx, before)
  const meta = { phase: 'pre-data', role: 'alter', rank: Rank.type, onExisting: true } as const
  const scanHazards =
    usedBy.length === 0
      ? []
      : [locks(`checks every value of ${usedBy.length} column(s) of ${after.name} under a lock`)]
  if (!sameExpression(before.default, after.default)) {
    ctx.emit(
      after.default === null
        ? { kind: 'alter_domain_drop_default', id: after.id, domain }
        : { kind: 'alter_domain_set_default', id: after.id, domain, default: after.default },
      { ...meta, needs: ctx.to.dependenciesOf(after.id) },
    )
  }
  const oldConstraints = new Map(before.constraints.map((c) => [c.name, c]))
  const newConstraints = new Map(after.constraints.map((c) => [c.name, c]))
  for (const constraint of sortByName(before.constraints)) {
    const next = newConstraints.get(constraint.name)
    if (next && sameConstraintDefinition(next.definition, constraint.definition)) continue
    ctx.emit(
      { kind: 'alter_domain_drop_constraint', id: after.id, domain, name: constraint.name },
      { ...meta, removes: true },
    )
  }
  for (const constraint of sortByName(after.constraints)) {
    const old = oldConstraints.get(constraint.name)
    const definition = withoutNotValid(constraint.definition)
    if (old && sameConstraintDefinition(old.definition, constraint.definition)) {
      if (constraint.validated && !old.validated) {
        ctx.emit(
          { kind: 'alter_domain_validate_constraint', id: after.id, domain, name: constraint.name },
          { ...meta, phase: 'post-data', isPrerequisite: false },
        )
      }
      continue
    }
    // On data in use, add NOT VALID (no scan under lock) and validate separately after the copy.
    const deferValidation = ctx.lockAware && constraint.validated && usedBy.length > 0
    ctx.emit(
      {
        kind: 'alter_domain_add_constraint',
        id: after.id,
        domain,
        name: constraint.name,
        definition,
        notValid: !constraint.validated || deferValidation,
        hazards: constraint.validated && !deferValidation ? scanHazards : [],
        note: deferValidation ? 'added NOT VALID, validated separately without blocking writes' : null,
      },
      { ...meta, needs: ctx.to.dependenciesOf(after.id) },
    )
    if (deferValidation) {
      ctx.emit(
        { kind: 'alter_domain_validate_constraint', id: after.id, domain, name: constraint.name },
        { ...meta, phase: 'post-data', isPrerequisite: false },
      )
    }
  }
  if (before.notNull !== after.notNull) {
    ctx.emit(
      after.notNull
        ? { kind: 'alter_domain_set_not_null', id: after.id, domain, hazards: scanHazards }
        : { kind: 'alter_domain_drop_not_null', id: after.id, domain },
      meta,
    )
  }
}

/** Whether two domains have the same constraints (by name), each as defined and as validated. */
function sameDomainConstraints(
  a: readonly DomainConstraintDef[],
  b: readonly DomainConstraintDef[],
): boolean {
  const left = sortByName(a)
  const right = sortByName(b)
  return (
    left.length === right.length &&
    left.every((constraint, index) => {
      const other = right[index]
      return (
        other !== undefined &&
        other.name === constraint.name &&
        other.validated === constraint.validated &&
        sameConstraintDefinition(other.definition, constraint.definition)
      )
    })
  )
}

/** The name an old type gets while its replacement takes over, within NAMEDATALEN. */
function asideNameFor(name: string): string {
  const suffix = '__pgshift_old'
  let base = name
  while (Buffer.byteLength(base + suffix, 'utf8') > 63) base = [...base].slice(0, -1).join('')
  return base + suffix
}

function describe(type: TypeDef): string {
  return `${type.kind} ${type.schema}.${type.name}`
}

function nameOf(object: { readonly schema: string; readonly name: string }): QualifiedName {
  return { schema: object.schema, name: object.name }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index])
}

function isSubsequence(items: readonly string[], of: readonly string[]): boolean {
  let position = 0
  for (const item of of) if (item === items[position]) position++
  return position === items.length
}

function sortByName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** Ids of the types `diffTypes` replaces or drops and creates: what depends on them must go first. */
export function replacedTypes(ctx: DiffContext): ObjectId[] {
  const result: ObjectId[] = []
  for (const [id, type] of ctx.from.types) {
    const next = ctx.to.types.get(id)
    if (next && ['replace', 'drop_create'].includes(strategyOf(ctx, type, next))) result.push(id)
  }
  return result
}
