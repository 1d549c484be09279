import type { ColumnDef, IdentityDef, TableDef, TypeDef } from '../model/schema-model.js'
import { quoteIdentifier, quoteQualifiedName } from '../sql/quote-identifier.js'
import { classifyTypeChange } from './classify-type-change.js'
import { sameExpression } from './definitions.js'
import type { DiffContext, EmitOptions, OperationDraft } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import { destructive, locks, rewrite, unsafeCast } from './hazards.js'
import type { ModelIndex } from './model-index.js'
import type { ColumnSpec, Hazard, IdentitySpec, SequenceOptions } from './operation.js'
import { Rank } from './planned-operation.js'

// Defaults that give every existing row its own value, so ADD COLUMN rewrites the table.
const VOLATILE_DEFAULT =
  /\b(nextval|random|gen_random_uuid|uuid_generate_v[14]\w*|clock_timestamp|timeofday|txid_current)\s*\(/

/**
 * Whether a column must be dropped and added again: a generated expression changes, or a
 * plain column becomes generated, which PostgreSQL cannot alter before 17 (SET EXPRESSION).
 */
export function requiresReadd(before: ColumnDef, after: ColumnDef, serverVersion: number): boolean {
  if (after.generated === null || sameExpression(before.generated, after.generated)) return false
  return before.generated === null || serverVersion < 170000
}

/**
 * Whether the table's columns change in a way views over it do not survive (a column dropped,
 * or its type or collation changed).
 */
export function changesColumnsUnderViews(
  before: TableDef,
  after: TableDef,
  serverVersion: number,
): boolean {
  const next = new Map(after.columns.map((column) => [column.name, column]))
  return before.columns.some((column) => {
    const other = next.get(column.name)
    return (
      other === undefined ||
      other.type !== column.type ||
      other.collation !== column.collation ||
      requiresReadd(column, other, serverVersion)
    )
  })
}

/** The column as CREATE TABLE / ADD COLUMN declare it. */
export function columnSpec(column: ColumnDef): ColumnSpec {
  return {
    name: column.name,
    type: column.type,
    collation: column.collation,
    notNull: column.notNull,
    default: column.identity || column.generated ? null : column.default,
    identity: column.identity ? identitySpec(column.identity) : null,
    generated: column.generated,
  }
}

/**
 * Column changes of a table that exists (`existing`: in the destination, possibly with rows) or
 * was just created (then `before` holds the columns as CREATE TABLE left them).
 */
export function diffColumns(
  ctx: DiffContext,
  table: TableDef,
  before: readonly ColumnDef[],
  existing: boolean,
): void {
  const tableName = { schema: table.schema, name: table.name }
  const label = `${table.schema}.${table.name}`
  const needs = ctx.to.dependenciesOf(table.id)
  const meta = {
    phase: 'pre-data',
    role: 'alter',
    rank: Rank.column,
    node: table.id,
    needs,
    onExisting: existing,
  } as const
  const next = new Map(table.columns.map((column) => [column.name, column]))
  for (const column of before) {
    if (next.has(column.name)) continue
    ctx.emit(
      {
        kind: 'drop_column',
        id: table.id,
        table: tableName,
        column: column.name,
        hazards: existing ? [destructive(`drops column ${column.name} of ${label} and its values`)] : [],
      },
      { ...meta, removes: true, after: ctx.ownedByReleases.get(table.id) ?? [] },
    )
  }
  const old = new Map(before.map((column) => [column.name, column]))
  for (const column of table.columns) {
    const previous = old.get(column.name)
    if (previous && !requiresReadd(previous, column, ctx.serverVersion)) {
      diffColumn(ctx, table, previous, column, existing, meta)
      continue
    }
    let after: number[] = []
    if (previous) {
      const columnKey = `${table.id}\0${column.name}`
      const drop = ctx.emit(
        {
          kind: 'drop_column',
          id: table.id,
          table: tableName,
          column: column.name,
          note:
            'a generated expression cannot be changed before PostgreSQL 17: the column is ' +
            'dropped and added again (at the end of the table), its indexes and constraints rebuilt',
        },
        { ...meta, removes: true, after: ctx.ownedByReleases.get(table.id) ?? [] },
      )
      ctx.readdDrops.set(columnKey, drop)
      after = [drop]
    }
    const hazards: Hazard[] = []
    if (existing && column.generated !== null) {
      hazards.push(rewrite(`computes the stored column ${column.name} for every row of ${label}`))
    } else if (existing && column.identity !== null) {
      hazards.push(rewrite(`numbers every row of ${label} for the identity column ${column.name}`))
    } else if (existing && column.default !== null && VOLATILE_DEFAULT.test(column.default)) {
      hazards.push(rewrite(`evaluates the volatile default of ${column.name} for every row of ${label}`))
    }
    const failsOnRows =
      existing && column.notNull && column.default === null && !column.identity && !column.generated
    const added = ctx.emit(
      {
        kind: 'add_column',
        id: table.id,
        table: tableName,
        column: columnSpec(column),
        hazards,
        note: failsOnRows ? `NOT NULL without a default: fails if ${label} has rows` : null,
      },
      { ...meta, after },
    )
    if (existing && column.storage !== null) setStorage(ctx, table, column, meta, [added])
    if (column.statistics !== null) setStatistics(ctx, table, column, column.statistics, meta, [added])
    columnComment(ctx, table, undefined, column)
  }
}

type ColumnMeta = Omit<EmitOptions, 'after'>

function diffColumn(
  ctx: DiffContext,
  table: TableDef,
  before: ColumnDef,
  after: ColumnDef,
  existing: boolean,
  meta: ColumnMeta,
): void {
  const tableName = { schema: table.schema, name: table.name }
  const label = `${table.schema}.${table.name}`
  const column = after.name
  const base = { id: table.id, table: tableName, column }
  // Each column's steps run in the order written here (drop the old, change the type, add the new).
  let last: number[] = []
  const step = (draft: OperationDraft, extra: Partial<EmitOptions> = {}): number => {
    const key = ctx.emit(draft, { ...meta, ...extra, after: [...last, ...(extra.after ?? [])] })
    last = [key]
    return key
  }
  const retyped = ctx.retypedColumns.get(`${table.id}\0${column}`)
  if (retyped !== undefined) last = [retyped]
  // A type replacement dropped the default before moving the column.
  let previousDefault = retyped !== undefined ? null : before.default

  if (before.generated !== null && after.generated === null) {
    step({ kind: 'alter_column_drop_expression', ...base })
  } else if (after.generated !== null && !sameExpression(before.generated, after.generated)) {
    step({
      kind: 'alter_column_set_expression',
      ...base,
      expression: after.generated,
      hazards: existing ? [rewrite(`recomputes ${column} for every row of ${label}`)] : [],
    })
  }
  if (before.identity && !after.identity) step({ kind: 'alter_column_drop_identity', ...base })

  if (before.type !== after.type || before.collation !== after.collation) {
    const change = classifyTypeChange(before.type, after.type)
    if (previousDefault !== null && change.needsUsing) {
      // The old default cannot be cast automatically: drop it, set the new one afterwards.
      step({ kind: 'alter_column_drop_default', ...base })
      previousDefault = null
    }
    const hazards: Hazard[] = []
    if (existing && change.rewrites) {
      hazards.push(rewrite(`rewrites ${label} to change ${column} from ${before.type} to ${after.type}`))
      hazards.push(locks(`holds an ACCESS EXCLUSIVE lock on ${label} during the rewrite`))
    } else if (existing && before.type === after.type) {
      hazards.push(locks(`rebuilds the indexes on ${column} under an ACCESS EXCLUSIVE lock`))
    }
    if (existing && change.unsafe !== null) hazards.push(unsafeCast(`${column}: ${change.unsafe}`))
    step({
      kind: 'alter_column_type',
      ...base,
      dataType: after.type,
      collation: after.collation ?? (before.collation !== null ? 'pg_catalog."default"' : null),
      using: change.needsUsing ? usingMode(ctx, before.type, after.type) : null,
      hazards,
    })
  }

  if (!before.notNull && after.notNull) {
    if (existing && ctx.lockAware) {
      setNotNullThroughCheck(table, column, step)
    } else {
      step({
        kind: 'alter_column_set_not_null',
        ...base,
        hazards: existing
          ? [locks(`scans ${label} under an ACCESS EXCLUSIVE lock to check ${column}`)]
          : [],
      })
    }
  }

  if (after.identity) {
    if (!before.identity) {
      if (previousDefault !== null) {
        step({ kind: 'alter_column_drop_default', ...base })
        previousDefault = null
      }
      step({ kind: 'alter_column_add_identity', ...base, identity: identitySpec(after.identity) })
    } else {
      diffIdentity(table, column, before.identity, after.identity, step)
    }
  }

  const nextDefault = after.identity || after.generated ? null : after.default
  const currentDefault = before.identity || before.generated ? null : previousDefault
  if (!sameExpression(currentDefault, nextDefault)) {
    step(
      nextDefault === null
        ? { kind: 'alter_column_drop_default', ...base }
        : { kind: 'alter_column_set_default', ...base, default: nextDefault },
    )
  }
  if (before.notNull && !after.notNull) step({ kind: 'alter_column_drop_not_null', ...base })

  if (before.storage !== after.storage) setStorage(ctx, table, after, meta, last)
  if (before.statistics !== after.statistics) {
    setStatistics(ctx, table, after, after.statistics ?? -1, meta, last)
  }
  columnComment(ctx, table, before.comment, after)
}

/**
 * How the values are converted when no assignment cast does it. Enum, composite and range
 * types have no casts between them or from other types (one enum to another is refused
 * outright); only their text forms connect, so the value goes through text. Domains convert as
 * their base types do. Anything else gets a plain cast, which may round where text would fail.
 */
function usingMode(ctx: DiffContext, from: string, to: string): 'cast' | 'cast_via_text' {
  const textOnly = underlyingUserType(ctx.from, from) ?? underlyingUserType(ctx.to, to)
  return textOnly !== undefined ? 'cast_via_text' : 'cast'
}

/** The enum, composite or range type a column type is, or is an array or domain of. */
function underlyingUserType(model: ModelIndex, type: string): TypeDef | undefined {
  const seen = new Set<string>()
  let name = type.replace(/(\[\])+$/, '')
  while (!seen.has(name)) {
    seen.add(name)
    const found = [...model.types.values()].find(
      (candidate) =>
        quoteQualifiedName(candidate.schema, candidate.name) === name ||
        quoteIdentifier(candidate.name) === name,
    )
    if (found?.kind !== 'domain') return found
    name = found.baseType.replace(/(\[\])+$/, '')
  }
  return undefined
}

function diffIdentity(
  table: TableDef,
  column: string,
  before: IdentityDef,
  after: IdentityDef,
  step: (draft: OperationDraft) => number,
): void {
  const base = { id: table.id, table: { schema: table.schema, name: table.name } }
  const options = changedSequenceOptions(identityOptions(before), identityOptions(after))
  if (before.generation !== after.generation || Object.keys(options).length > 0) {
    step({
      kind: 'alter_column_set_identity',
      ...base,
      column,
      generation: before.generation !== after.generation ? after.generation : null,
      options,
    })
  }
  if (before.sequenceName !== after.sequenceName) {
    step({
      kind: 'rename_sequence',
      id: table.id,
      sequence: { schema: table.schema, name: before.sequenceName },
      newName: after.sequenceName,
    })
  }
}

/**
 * SET NOT NULL without a long lock: a CHECK (column IS NOT NULL) added NOT VALID, validated
 * under a SHARE UPDATE EXCLUSIVE lock, lets SET NOT NULL skip its scan; the check then goes.
 */
function setNotNullThroughCheck(
  table: TableDef,
  column: string,
  step: (draft: OperationDraft) => number,
): void {
  const tableName = { schema: table.schema, name: table.name }
  const name = truncateIdentifier(`${column}_not_null`, '_pgshift')
  const note = 'SET NOT NULL through a validated CHECK, so that no scan runs under ACCESS EXCLUSIVE'
  step({ kind: 'add_not_null_check', id: table.id, table: tableName, column, name, note })
  step({ kind: 'validate_constraint', id: table.id, table: tableName, name, note })
  step({ kind: 'alter_column_set_not_null', id: table.id, table: tableName, column, note })
  step({ kind: 'drop_constraint', id: table.id, table: tableName, name, note })
}

function setStorage(
  ctx: DiffContext,
  table: TableDef,
  column: ColumnDef,
  meta: ColumnMeta,
  after: readonly number[],
): void {
  ctx.emit(
    {
      kind: 'alter_column_set_storage',
      id: table.id,
      table: { schema: table.schema, name: table.name },
      column: column.name,
      // SET STORAGE DEFAULT exists from PostgreSQL 16; before, the type's default is spelled out.
      storage:
        column.storage ?? (ctx.serverVersion >= 160000 ? 'default' : defaultStorage(column.type)),
    },
    { ...meta, after },
  )
}

function setStatistics(
  ctx: DiffContext,
  table: TableDef,
  column: ColumnDef,
  statistics: number,
  meta: ColumnMeta,
  after: readonly number[],
): void {
  ctx.emit(
    {
      kind: 'alter_column_set_statistics',
      id: table.id,
      table: { schema: table.schema, name: table.name },
      column: column.name,
      statistics,
    },
    { ...meta, after },
  )
}

function columnComment(
  ctx: DiffContext,
  table: TableDef,
  before: string | null | undefined,
  column: ColumnDef,
): void {
  const target = { kind: 'column', schema: table.schema, table: table.name, name: column.name } as const
  diffComment(ctx, table.id, 'pre-data', target, before, column.comment)
}

/** The identity as ADD GENERATED ... AS IDENTITY spells it. */
export function identitySpec(identity: IdentityDef): IdentitySpec {
  return {
    generation: identity.generation,
    sequenceName: identity.sequenceName,
    options: identityOptions(identity),
  }
}

function identityOptions(identity: IdentityDef): SequenceOptions {
  const { start, increment, min, max, cache, cycle } = identity
  return { start, increment, min, max, cache, cycle }
}

/** The options of `after` that differ from `before`. */
export function changedSequenceOptions(before: SequenceOptions, after: SequenceOptions): SequenceOptions {
  const changed: Record<string, unknown> = {}
  for (const key of ['dataType', 'start', 'increment', 'min', 'max', 'cache', 'cycle'] as const) {
    if (after[key] !== undefined && before[key] !== after[key]) changed[key] = after[key]
  }
  return changed as SequenceOptions
}

/** `name + suffix` within PostgreSQL's 63 bytes, shortening the name. */
export function truncateIdentifier(name: string, suffix: string): string {
  let base = name
  while (Buffer.byteLength(base + suffix, 'utf8') > 63) base = [...base].slice(0, -1).join('')
  return base + suffix
}

// typstorage of the built-in types, for going back to it before SET STORAGE DEFAULT existed.
const MAIN_STORAGE = new Set(['numeric', 'inet', 'cidr'])
const FIXED_LENGTH = new Set([
  'smallint', 'integer', 'bigint', 'real', 'double precision', 'boolean', 'date', 'money',
  'time without time zone', 'time with time zone', 'timestamp without time zone',
  'timestamp with time zone', 'interval', 'uuid', 'oid', 'macaddr', 'macaddr8', 'point',
  '"char"', 'pg_lsn',
])

function defaultStorage(type: string): string {
  if (type.endsWith('[]')) return 'extended'
  const base = type.replace(/\(\d+(,\d+)?\)/, '').replace(/\s+/g, ' ').trim()
  if (MAIN_STORAGE.has(base)) return 'main'
  return FIXED_LENGTH.has(base) ? 'plain' : 'extended'
}
