import type { IndexDef, ObjectId } from '../model/schema-model.js'
import { quoteQualifiedName } from '../sql/quote-identifier.js'
import { sameStatement } from './definitions.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import type { ModelIndex } from './model-index.js'
import { locks } from './hazards.js'
import { parseObjectId } from './parse-object-id.js'
import { Rank } from './planned-operation.js'

/** The relation (table or materialized view) whose indexes are diffed. */
export interface IndexedRelation {
  readonly id: ObjectId
  readonly schema: string
  readonly name: string
  /** Partitioned tables cannot build or drop indexes CONCURRENTLY. */
  readonly isPartitioned: boolean
  /** For a partition: its parent table. */
  readonly parent: ObjectId | null
  /** Column names dropped and added again, whose indexes go with them. */
  readonly readdedColumns: ReadonlyMap<string, number>
}

// `CREATE [UNIQUE] INDEX name ON `: the name quoted or not, since a deparsed definition (spec
// renames) need not quote it the way quoteIdentifier does.
const INDEX_NAME = /^(CREATE (?:UNIQUE )?INDEX )(?:"(?:[^"]|"")+"|[^\s"]+) ON /

/**
 * The definition with the index's own name taken out, so that two indexes compare equal when
 * only their names differ (which makes a rename, not a rebuild).
 */
export function neutralIndexDefinition(index: IndexDef): string {
  return index.definition.replace(INDEX_NAME, '$1ON ')
}

/**
 * Whether two indexes are built alike, names aside: a definition the spec's renames rewrote is
 * deparsed (no `USING btree`, other parentheses) yet means what PostgreSQL's own text does.
 */
export function sameIndexDefinition(a: IndexDef, b: IndexDef): boolean {
  return sameStatement(neutralIndexDefinition(a), neutralIndexDefinition(b))
}

/**
 * Index changes of one relation: renames (same definition under another name), drops, creates
 * (CONCURRENTLY on existing tables when lock-aware), partition index attachment, comments.
 * `before` is empty for a relation just created.
 */
export function diffIndexes(
  ctx: DiffContext,
  relation: IndexedRelation,
  before: readonly IndexDef[],
  after: readonly IndexDef[],
  existing: boolean,
): number[] {
  const label = `${relation.schema}.${relation.name}`
  const concurrently = ctx.lockAware && existing && !relation.isPartitioned
  const old = new Map(before.map((index) => [index.name, index]))
  const next = new Map(after.map((index) => [index.name, index]))
  const touchesReadd = (index: IndexDef): number | undefined => {
    for (const [column, drop] of relation.readdedColumns) {
      const inExpression =
        (index.hasExpressions || index.predicate !== null) && index.definition.includes(column)
      if (index.columns.includes(column) || inExpression) return drop
    }
    return undefined
  }
  const unchanged = (a: IndexDef, b: IndexDef): boolean =>
    a.valid &&
    sameIndexDefinition(a, b) &&
    (a.parentIndex === b.parentIndex || a.parentIndex === null) &&
    // Dropping a partitioned index drops the indexes attached to it.
    (a.parentIndex === null || !isIndexDropped(ctx, a.parentIndex)) &&
    touchesReadd(a) === undefined

  // Renames: an index gone by name whose definition reappears under a new name.
  const renamed = new Map<string, IndexDef>()
  const renamedFrom = new Map<IndexDef, IndexDef>()
  const gone = before.filter((index) => !next.has(index.name))
  for (const index of after) {
    if (old.has(index.name)) continue
    const match = gone.find(
      (candidate) =>
        !renamed.has(candidate.name) &&
        candidate.parentIndex === index.parentIndex &&
        unchanged(candidate, index),
    )
    if (!match) continue
    renamed.set(match.name, index)
    renamedFrom.set(index, match)
  }

  const keys: number[] = []
  const drops: number[] = []
  for (const index of before) {
    const target = next.get(index.name) ?? renamed.get(index.name)
    if (target && unchanged(index, target)) continue
    // An index attached to a partitioned index goes with its parent.
    if (index.parentIndex !== null && isIndexDropped(ctx, index.parentIndex)) continue
    const drop = ctx.emit(
      {
        kind: 'drop_index',
        id: relation.id,
        index: { schema: relation.schema, name: index.name },
        concurrently,
        transactional: !concurrently,
        note: concurrently
          ? 'DROP INDEX CONCURRENTLY: does not block reads or writes; runs outside a transaction'
          : null,
      },
      {
        phase: 'pre-data',
        role: 'alter',
        rank: Rank.index,
        removes: true,
        onExisting: existing,
        after: index.unique ? (ctx.foreignKeyDrops.get(relation.id) ?? []) : [],
      },
    )
    drops.push(drop)
    const readd = touchesReadd(index)
    if (readd !== undefined) ctx.addEdges(readd, [drop])
  }
  for (const [oldName, index] of renamed) {
    ctx.emit(
      {
        kind: 'rename_index',
        id: relation.id,
        index: { schema: relation.schema, name: oldName },
        newName: index.name,
      },
      { phase: 'pre-data', role: 'alter', rank: Rank.index, onExisting: existing, after: drops },
    )
  }

  const needs = ctx.to.dependenciesOf(relation.id)
  for (const index of after) {
    const fromIndex = old.get(index.name) ?? renamedFrom.get(index)
    const kept = fromIndex !== undefined && unchanged(fromIndex, index)
    const inherits =
      index.parentIndex !== null &&
      ctx.newPartitions.has(relation.id) &&
      isIndexKept(ctx, index.parentIndex)
    if (!kept && !inherits) {
      const key = ctx.emit(
        {
          kind: 'create_index',
          id: relation.id,
          index: { schema: relation.schema, name: index.name },
          definition: index.definition,
          concurrently: concurrently && !/ ON ONLY /.test(index.definition),
          transactional: !(concurrently && !/ ON ONLY /.test(index.definition)),
          hazards:
            existing && !concurrently
              ? [locks(`blocks writes to ${label} while the index ${index.name} is built`)]
              : [],
          note: concurrently
            ? 'CREATE INDEX CONCURRENTLY: does not block writes; runs outside a transaction'
            : null,
        },
        { phase: 'post-data', role: 'alter', rank: Rank.index, needs, onExisting: existing },
      )
      keys.push(key)
    }
    const attach = !kept || fromIndex?.parentIndex !== index.parentIndex
    if (index.parentIndex !== null && !inherits && attach) {
      const parentTable = indexOwner(ctx.to, index.parentIndex)
      ctx.emit(
        {
          kind: 'attach_index',
          id: relation.id,
          parentIndex: splitQualified(index.parentIndex),
          index: { schema: relation.schema, name: index.name },
        },
        {
          phase: 'post-data',
          role: 'alter',
          rank: Rank.index,
          needs: parentTable ? [parentTable] : [],
          after: keys.slice(-1),
        },
      )
    }
    const target = { kind: 'index', schema: relation.schema, name: index.name } as const
    const previousComment = kept ? fromIndex.comment : undefined
    diffComment(ctx, relation.id, 'post-data', target, previousComment, index.comment)
  }
  return keys
}

/** Whether the index named `qualified` (schema.name, quoted) is dropped or rebuilt by the diff. */
export function isIndexDropped(ctx: DiffContext, qualified: string): boolean {
  const owner = indexOwner(ctx.from, qualified)
  if (owner === undefined) return false
  if (!ctx.isKept(owner)) return true
  const before = findIndex(ctx.from, owner, qualified)
  const after = findIndex(ctx.to, owner, qualified)
  return !before || !after || !sameIndexDefinition(before, after)
}

function isIndexKept(ctx: DiffContext, qualified: string): boolean {
  return indexOwner(ctx.from, qualified) !== undefined && !isIndexDropped(ctx, qualified)
}

/** The table or materialized view an index (schema.name, quoted) belongs to. */
function indexOwner(model: ModelIndex, qualified: string): ObjectId | undefined {
  for (const relation of [...model.tables.values(), ...model.views.values()]) {
    for (const index of relation.indexes) {
      if (quoteQualifiedName(relation.schema, index.name) === qualified) return relation.id
    }
  }
  return undefined
}

function findIndex(model: ModelIndex, owner: ObjectId, qualified: string): IndexDef | undefined {
  const relation = model.tables.get(owner) ?? model.views.get(owner)
  return relation?.indexes.find((index) => quoteQualifiedName(relation.schema, index.name) === qualified)
}

function splitQualified(qualified: string): { schema: string; name: string } {
  // parentIndex is `schema.name` quoted as SQL quotes it, like the names inside ids.
  return parseObjectId(`index:${qualified}`)
}
