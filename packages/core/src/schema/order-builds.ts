import { objectId } from '@pgshift/schema-diff'
import type { ObjectId, Operation } from '@pgshift/schema-diff'

/** A build of a parallel run and what must have finished before it starts. */
export interface BuildNode<T> {
  readonly item: T
  readonly operation: Operation
  /** Builds that must have finished before this one starts. */
  readonly after: readonly BuildNode<T>[]
  /** Every build before this position must have finished too (a foreign key whose referenced table is unknown). */
  readonly barrier: number
}

/**
 * Orders a run of post-data builds (index and key builds, index attaches, foreign keys) for
 * sessions working side by side. Pure: dependencies follow from the operations, their order
 * and their groups (a table, or a partition tree when `groupOf` says so):
 * - a plain CREATE INDEX waits for the earlier keys and CONCURRENTLY builds of its group: its
 *   SHARE lock lets the other plain index builds of the table run beside it, as pg_restore -j
 *   builds them;
 * - a key (ACCESS EXCLUSIVE) or a CONCURRENTLY build (they exclude each other on a table)
 *   waits for everything before it in its group, and for the index attaches before it (a new
 *   key takes over an unattached partition index that matches it);
 * - an index attach waits for everything before it in its group and for the builds of its two
 *   indexes, whatever the grouping; builds after it need not wait for it (a parent index built
 *   ON ONLY does not depend on its partitions);
 * - a foreign key waits for everything before it in its own group and in the referenced
 *   table's (its unique key, and no lock conflict with index builds there), and for the
 *   attaches into indexes of the referenced table; when the referenced table cannot be read
 *   from the definition, for everything before it.
 * Returned in the order to choose from among the ready ones: the builds of the largest groups
 * first (a referenced group counts as large as the groups whose foreign keys wait for it), as
 * pg_restore orders them, so the longest builds start early and the short ones fill in.
 */
export function orderBuilds<T>(
  items: readonly T[],
  operationOf: (item: T) => Operation,
  groupOf: (id: ObjectId) => string,
  tableBytes: ReadonlyMap<ObjectId, number>,
): { readonly nodes: readonly BuildNode<T>[]; readonly byPriority: readonly BuildNode<T>[] } {
  const nodes: BuildNode<T>[] = []
  const groups = new Map<string, BuildNode<T>[]>()
  const attaches: BuildNode<T>[] = []
  // which build creates an index (schema.name), and in which group its table is
  const creators = new Map<string, BuildNode<T>>()
  const groupBytes = new Map<string, number>()
  for (const [id, bytes] of tableBytes) groupBytes.set(groupOf(id), (groupBytes.get(groupOf(id)) ?? 0) + bytes)
  const referencedBy: [string, string][] = []
  for (const item of items) {
    const operation = operationOf(item)
    const group = groupOf(operation.id)
    const inGroup = groups.get(group) ?? []
    let after: BuildNode<T>[]
    let barrier = 0
    if (isPlainIndexBuild(operation)) {
      after = inGroup.filter((earlier) => !isPlainIndexBuild(earlier.operation) && earlier.operation.kind !== 'attach_index')
    } else if (operation.kind === 'attach_index') {
      const indexes = [operation.parentIndex, operation.index].map((index) => creators.get(indexKey(index.schema, index.name)))
      after = unique([...inGroup, ...indexes.filter((node): node is BuildNode<T> => node !== undefined)])
    } else if (operation.kind === 'add_constraint' && operation.constraintKind === 'foreign_key') {
      const referenced = referencedTable(operation.definition)
      if (referenced === null) {
        after = [...inGroup]
        barrier = nodes.length
      } else {
        const target = groupOf(referenced)
        referencedBy.push([target, group])
        const intoTarget = attaches.filter((attach) => {
          if (attach.operation.kind !== 'attach_index') return false
          const parent = creators.get(indexKey(attach.operation.parentIndex.schema, attach.operation.parentIndex.name))
          return parent === undefined || groupOf(parent.operation.id) === target
        })
        after = unique([...inGroup, ...(groups.get(target) ?? []), ...intoTarget])
      }
    } else {
      after = unique([...inGroup, ...attaches])
    }
    const node: BuildNode<T> = { item, operation, after, barrier }
    nodes.push(node)
    inGroup.push(node)
    groups.set(group, inGroup)
    if (operation.kind === 'attach_index') attaches.push(node)
    const created = createdIndex(operation)
    if (created !== null) creators.set(created, node)
  }
  for (const [target, group] of referencedBy) {
    groupBytes.set(target, Math.max(groupBytes.get(target) ?? 0, groupBytes.get(group) ?? 0))
  }
  const byPriority = nodes
    .map((node, index) => ({ node, index, bytes: groupBytes.get(groupOf(node.operation.id)) ?? 0 }))
    .sort((a, b) => b.bytes - a.bytes || a.index - b.index)
    .map((entry) => entry.node)
  return { nodes, byPriority }
}

/** A CREATE INDEX without CONCURRENTLY: SHARE lock on its table. */
export function isPlainIndexBuild(operation: Operation): boolean {
  return (operation.kind === 'create_index' || operation.kind === 'create_constraint_index') && !operation.concurrently
}

function indexKey(schema: string, name: string): string {
  return `${schema}\0${name}`
}

function createdIndex(operation: Operation): string | null {
  if (operation.kind === 'create_index' || operation.kind === 'create_constraint_index') {
    return indexKey(operation.index.schema, operation.index.name)
  }
  // a key builds an index of its own name in its table's schema
  const keys = ['primary_key', 'unique', 'exclusion']
  if (operation.kind === 'add_constraint' && operation.usingIndex === null && keys.includes(operation.constraintKind)) {
    return indexKey(operation.table.schema, operation.name)
  }
  return null
}

const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|[^\s."(]+)`
const REFERENCES = new RegExp(String.raw`\bREFERENCES\s+(${IDENTIFIER})\.(${IDENTIFIER})\s*\(`)

/** The table a foreign key's definition (pg_get_constraintdef) references, schema-qualified; else null. */
export function referencedTable(definition: string): ObjectId | null {
  const match = REFERENCES.exec(definition)
  if (match === null) return null
  const unquote = (part: string) => (part.startsWith('"') ? part.slice(1, -1).replaceAll('""', '"') : part)
  return objectId('table', unquote(match[1] as string), unquote(match[2] as string))
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)]
}
