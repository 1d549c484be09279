import type { ColumnDef, ObjectId, TableDef } from '../model/schema-model.js'
import { sameExpression, samePartitionKey } from './definitions.js'
import { columnSpec, diffColumns } from './diff-columns.js'
import { diffComment } from './diff-comments.js'
import { diffConstraints, dropForeignKeys } from './diff-constraints.js'
import type { DiffContext } from './diff-context.js'
import { diffIndexes } from './diff-indexes.js'
import { diffPolicies } from './diff-policies.js'
import { diffTriggers } from './diff-triggers.js'
import { destructive, locks, rewrite } from './hazards.js'
import type { QualifiedName } from './operation.js'
import { parseObjectId } from './parse-object-id.js'
import { Rank } from './planned-operation.js'

/** Whether the table must be dropped and created: its kind or partition key cannot be altered. */
export function requiresTableRecreate(before: TableDef, after: TableDef): boolean {
  return before.kind !== after.kind || !samePartitionKey(before.partitionKey, after.partitionKey)
}

/** Tables and everything on them: columns, constraints, indexes, triggers, policies, settings. */
export function diffTables(ctx: DiffContext): void {
  dropForeignKeys(ctx)
  for (const [id, table] of ctx.from.tables) {
    const recreated = ctx.recreatedTables.has(id)
    if (ctx.to.tables.has(id) && !recreated) continue
    ctx.emit(
      {
        kind: 'drop_table',
        id,
        table: nameOf(table),
        hazards: [destructive(`drops table ${table.schema}.${table.name} and all its rows`)],
        note: recreated ? 'its kind or partition key changes, which needs a new table' : null,
      },
      {
        phase: 'pre-data',
        role: 'drop',
        rank: Rank.table,
        after: [
          ...(ctx.foreignKeyDrops.get(id) ?? []),
          ...(ctx.beforeTableDrop.get(id) ?? []),
          ...(ctx.ownedByReleases.get(id) ?? []),
        ],
      },
    )
  }
  for (const [id, table] of ctx.to.tables) {
    const before = ctx.from.tables.get(id)
    if (!before || ctx.recreatedTables.has(id)) createTable(ctx, table)
    else alterTable(ctx, before, table, true)
  }
  dropColumnsLast(ctx)
}

// Removals of what may use a column: on the same table, they run before its DROP COLUMNs.
const COLUMN_USERS = new Set(['drop_constraint', 'drop_index', 'drop_trigger', 'drop_policy'])

/**
 * DROP COLUMN silently drops the indexes and constraints using the column, on the table and on
 * its partitions and children (where the column goes too), so a later DROP CONSTRAINT or DROP
 * INDEX of one of them would fail on an object already gone; and it refuses while a trigger,
 * a policy or another table's foreign key uses the column. So every removal of those on the
 * table, its descendants, and foreign keys referencing it runs before the table's column drops.
 */
function dropColumnsLast(ctx: DiffContext): void {
  const children = new Map<ObjectId, ObjectId[]>()
  for (const table of ctx.from.tables.values()) {
    for (const parent of [table.partitionOf?.parent, ...table.inherits]) {
      if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), table.id])
    }
  }
  const removals = new Map<ObjectId, number[]>()
  for (const op of ctx.planned) {
    if (op.removes && COLUMN_USERS.has(op.operation.kind)) ctx.remember(removals, op.node, op.key)
  }
  for (const op of ctx.planned) {
    if (op.operation.kind !== 'drop_column' || !op.removes) continue
    const tables = new Set<ObjectId>([op.node])
    for (const id of tables) for (const child of children.get(id) ?? []) tables.add(child)
    const before = [...tables].flatMap((id) => removals.get(id) ?? [])
    ctx.addEdges(op.key, [...before, ...(ctx.foreignKeyDrops.get(op.node) ?? [])])
  }
}

function createTable(ctx: DiffContext, table: TableDef): void {
  const parent = table.partitionOf ? ctx.to.tables.get(table.partitionOf.parent) : undefined
  const parents = table.inherits.map((id) => ctx.to.tables.get(id))
  ctx.emit(
    {
      kind: 'create_table',
      id: table.id,
      table: nameOf(table),
      tableKind: table.kind,
      persistence: table.persistence,
      columns: table.partitionOf
        ? []
        : table.columns.filter((column) => !column.inherited).map(columnSpec),
      partitionKey: table.partitionKey,
      partitionOf: table.partitionOf
        ? { parent: tableName(ctx, table.partitionOf.parent), bound: table.partitionOf.bound }
        : null,
      inherits: table.inherits.map((parentId) => tableName(ctx, parentId)),
      storageParameters: [...table.storageParameters].sort(),
    },
    {
      phase: 'pre-data',
      role: 'create',
      rank: Rank.table,
      needs: ctx.to.dependenciesOf(table.id),
    },
  )
  if (table.partitionOf) ctx.newPartitions.add(table.id)
  // What CREATE TABLE leaves: the declared columns, and those a parent passes on (its type,
  // NOT NULL, default, generated expression, collation and storage); everything else follows.
  const inheritedFrom = (column: ColumnDef): ColumnDef => {
    if (!table.partitionOf && !column.inherited) return column
    const source = [parent, ...parents].find((candidate) =>
      candidate?.columns.some((other) => other.name === column.name),
    )
    const passed = source?.columns.find((other) => other.name === column.name) ?? column
    // Identity is not inherited (before PostgreSQL 17 not even by partitions).
    return { ...passed, identity: null }
  }
  const asCreated: TableDef = {
    ...table,
    columns: table.columns.map((column) => ({
      ...inheritedFrom(column),
      statistics: null,
      comment: null,
      storage: table.partitionOf || column.inherited ? inheritedFrom(column).storage : null,
    })),
    constraints: [],
    indexes: [],
    triggers: [],
    policies: [],
    replicaIdentity: 'default',
    rowSecurity: false,
    forceRowSecurity: false,
    comment: null,
  }
  alterTable(ctx, asCreated, table, false)
}

/** Changes `before` into `after`; `existing` when the table is in the destination already. */
function alterTable(ctx: DiffContext, before: TableDef, after: TableDef, existing: boolean): void {
  const name = nameOf(after)
  const label = `${after.schema}.${after.name}`
  const needs = ctx.to.dependenciesOf(after.id)
  const meta = {
    phase: 'pre-data',
    role: 'alter',
    rank: Rank.table,
    node: after.id,
    needs,
    onExisting: existing,
  } as const

  if (existing) detachAndUninherit(ctx, before, after)
  const columnsBefore = existing ? columnsAfterParentChanges(ctx, before, after) : before.columns
  diffColumns(ctx, after, columnsBefore, existing)
  if (existing && before.persistence !== after.persistence) {
    ctx.emit(
      {
        kind: after.persistence === 'unlogged' ? 'set_unlogged' : 'set_logged',
        id: after.id,
        table: name,
        hazards: [
          rewrite(`rewrites ${label} (and its indexes) to change its persistence`),
          locks(`holds an ACCESS EXCLUSIVE lock on ${label} during the rewrite`),
        ],
      },
      meta,
    )
  }
  if (existing) diffStorageParameters(ctx, before, after, meta)
  if (existing) attachAndInherit(ctx, before, after)

  diffConstraints(ctx, after, before.constraints, existing)
  const readded = new Map<string, number>()
  for (const [key, drop] of ctx.readdDrops) {
    const [tableId, column] = key.split('\0')
    if (tableId === after.id && column !== undefined) readded.set(column, drop)
  }
  const indexKeys = diffIndexes(
    ctx,
    {
      id: after.id,
      schema: after.schema,
      name: after.name,
      isPartitioned: after.kind === 'partitioned',
      parent: after.partitionOf?.parent ?? null,
      readdedColumns: readded,
    },
    before.indexes,
    after.indexes,
    existing,
  )
  if (JSON.stringify(before.replicaIdentity) !== JSON.stringify(after.replicaIdentity)) {
    const usesIndex = typeof after.replicaIdentity === 'object'
    ctx.emit(
      { kind: 'set_replica_identity', id: after.id, table: name, identity: after.replicaIdentity },
      { ...meta, phase: usesIndex ? 'post-data' : 'pre-data', after: usesIndex ? indexKeys : [] },
    )
  }
  const security = { ...meta, phase: 'post-data', rank: Rank.rowSecurity } as const
  if (before.rowSecurity !== after.rowSecurity) {
    ctx.emit(
      {
        kind: after.rowSecurity ? 'enable_row_security' : 'disable_row_security',
        id: after.id,
        table: name,
      },
      security,
    )
  }
  if (before.forceRowSecurity !== after.forceRowSecurity) {
    ctx.emit(
      {
        kind: after.forceRowSecurity ? 'force_row_security' : 'no_force_row_security',
        id: after.id,
        table: name,
      },
      security,
    )
  }
  diffTriggers(ctx, after, before.triggers, existing)
  diffPolicies(ctx, after, before.policies, existing)
  const target = { kind: 'table', ...name } as const
  diffComment(ctx, after.id, 'pre-data', target, existing ? before.comment : undefined, after.comment)
}

// Column properties an ALTER TABLE on a parent passes down to its partitions and children.
const RECURSING = ['type', 'collation', 'notNull', 'default', 'storage', 'statistics'] as const

/**
 * The child's columns once its parents' own column changes have reached it: ALTER TABLE on a
 * parent (partitioned or inherited) recurses to the children, so the child only needs what
 * differs beyond that, and must not add or drop an inherited column itself.
 */
function columnsAfterParentChanges(ctx: DiffContext, before: TableDef, after: TableDef): ColumnDef[] {
  const parents = [before.partitionOf?.parent, ...before.inherits].filter(
    (id): id is string =>
      id !== undefined &&
      ctx.isKept(id) &&
      (after.partitionOf?.parent === id || after.inherits.includes(id)),
  )
  let columns = [...before.columns]
  for (const parentId of parents) {
    const parentBefore = ctx.from.tables.get(parentId)
    const parentAfter = ctx.to.tables.get(parentId)
    if (!parentBefore || !parentAfter) continue
    for (const column of parentBefore.columns) {
      const next = parentAfter.columns.find((candidate) => candidate.name === column.name)
      const index = columns.findIndex((candidate) => candidate.name === column.name)
      const own = columns[index]
      if (own === undefined) continue
      if (!next) {
        if (own.inherited) columns = columns.filter((candidate) => candidate.name !== column.name)
        continue
      }
      const passed: Record<string, unknown> = { ...own }
      for (const property of RECURSING) {
        const same =
          property === 'default'
            ? sameExpression(column.default, next.default)
            : column[property] === next[property]
        if (!same) passed[property] = next[property]
      }
      columns[index] = passed as unknown as ColumnDef
    }
    for (const column of parentAfter.columns) {
      if (parentBefore.columns.some((candidate) => candidate.name === column.name)) continue
      if (columns.some((candidate) => candidate.name === column.name)) continue
      const mine = after.columns.find((candidate) => candidate.name === column.name)
      if (mine?.inherited) {
        columns.push({ ...column, identity: null, statistics: null, comment: null, inherited: true })
      }
    }
  }
  return columns
}

function diffStorageParameters(
  ctx: DiffContext,
  before: TableDef,
  after: TableDef,
  meta: Parameters<DiffContext['emit']>[1],
): void {
  const old = parseParameters(before.storageParameters)
  const next = parseParameters(after.storageParameters)
  const set = [...next]
    .filter(([key, value]) => old.get(key) !== value)
    .map(([key, value]) => `${key}=${value}`)
  const reset = [...old.keys()].filter((key) => !next.has(key))
  if (reset.length > 0) {
    const parameters = reset.sort()
    ctx.emit({ kind: 'reset_storage_parameters', id: after.id, table: nameOf(after), parameters }, meta)
  }
  if (set.length > 0) {
    const parameters = set.sort()
    ctx.emit({ kind: 'set_storage_parameters', id: after.id, table: nameOf(after), parameters }, meta)
  }
}

function parseParameters(parameters: readonly string[]): Map<string, string> {
  return new Map(
    parameters.map((parameter) => {
      const at = parameter.indexOf('=')
      return at < 0 ? [parameter, ''] : [parameter.slice(0, at), parameter.slice(at + 1)]
    }),
  )
}

/** Whether the table stops being the partition it is (or stops inheriting), before it changes. */
function partitionChanges(ctx: DiffContext, before: TableDef, after: TableDef): boolean {
  if (before.partitionOf === null) return false
  return (
    after.partitionOf === null ||
    after.partitionOf.parent !== before.partitionOf.parent ||
    after.partitionOf.bound !== before.partitionOf.bound ||
    ctx.recreatedTables.has(before.partitionOf.parent)
  )
}

function detachAndUninherit(ctx: DiffContext, before: TableDef, after: TableDef): void {
  const removal = {
    phase: 'pre-data',
    role: 'alter',
    rank: Rank.table,
    node: after.id,
    removes: true,
    onExisting: true,
  } as const
  if (before.partitionOf && partitionChanges(ctx, before, after)) {
    const parent = ctx.from.tables.get(before.partitionOf.parent)
    ctx.emit(
      {
        kind: 'detach_partition',
        id: after.id,
        parent: parent ? nameOf(parent) : parseObjectId(before.partitionOf.parent),
        partition: nameOf(after),
        // Not CONCURRENTLY even when lock-aware: that leaves a CHECK constraint copying the
        // bound on the partition, which the source does not have.
        concurrently: false,
        hazards: [
          locks(`holds an ACCESS EXCLUSIVE lock on ${parent?.schema}.${parent?.name} while detaching`),
        ],
      },
      removal,
    )
  }
  for (const parentId of before.inherits) {
    if (after.inherits.includes(parentId) && !ctx.recreatedTables.has(parentId)) continue
    const parent = tableName(ctx, parentId, 'from')
    ctx.emit({ kind: 'no_inherit', id: after.id, table: nameOf(after), parent }, removal)
  }
}

function attachAndInherit(ctx: DiffContext, before: TableDef, after: TableDef): void {
  const meta = {
    phase: 'pre-data',
    role: 'alter',
    rank: Rank.table,
    node: after.id,
    onExisting: true,
  } as const
  if (after.partitionOf && (before.partitionOf === null || partitionChanges(ctx, before, after))) {
    ctx.newPartitions.add(after.id)
    ctx.emit(
      {
        kind: 'attach_partition',
        id: after.id,
        parent: tableName(ctx, after.partitionOf.parent),
        partition: nameOf(after),
        bound: after.partitionOf.bound,
        hazards: [locks(`scans ${after.schema}.${after.name} to check the partition bound under a lock`)],
      },
      { ...meta, needs: [...ctx.to.dependenciesOf(after.id), after.partitionOf.parent] },
    )
  }
  for (const parentId of after.inherits) {
    if (before.inherits.includes(parentId) && !ctx.recreatedTables.has(parentId)) continue
    ctx.emit(
      { kind: 'inherit', id: after.id, table: nameOf(after), parent: tableName(ctx, parentId) },
      { ...meta, needs: [parentId] },
    )
  }
}

function tableName(ctx: DiffContext, id: string, side: 'from' | 'to' = 'to'): QualifiedName {
  const table = (side === 'to' ? ctx.to : ctx.from).tables.get(id)
  return table ? nameOf(table) : parseObjectId(id)
}

function nameOf(table: { readonly schema: string; readonly name: string }): QualifiedName {
  return { schema: table.schema, name: table.name }
}
