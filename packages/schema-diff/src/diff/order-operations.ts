import type { ObjectId } from '../model/schema-model.js'
import { compareIds } from './model-index.js'
import type { ModelIndex } from './model-index.js'
import type { Operation, Phase } from './operation.js'
import { Rank } from './planned-operation.js'
import type { PlannedOperation } from './planned-operation.js'

/**
 * Orders the operations: all of pre-data, then all of post-data; inside a phase a topological
 * sort over these edges, ties broken by (drops and removals first, kind rank, object id,
 * emission order), so the same input always gives the same output:
 *
 * - an operation that needs an object comes after that object's creation and prerequisite
 *   changes (a view after its tables, a table after its types, a foreign key after the
 *   referenced table's primary key);
 * - dropping an object comes after dropping or altering what depends on it in the destination
 *   (a view before its table, a column's default before its sequence): drops run in reverse
 *   dependency order;
 * - changing an object comes after dropping what depended on it (a view before a column type
 *   change under it), and after its own drop and creation;
 * - extensions are set up before, and dropped after, everything else (their members are not
 *   listed as dependencies);
 * - explicit edges the diff added for multi-step strategies.
 *
 * An operation needed in pre-data whose creation was planned for post-data (a view that a
 * function's signature uses) is moved to pre-data. A dependency cycle, which the diff avoids by
 * construction, is broken at the lowest-ranked operation rather than failing.
 */
export function orderOperations(
  planned: readonly PlannedOperation[],
  from: ModelIndex,
): Operation[] {
  const phaseOf = promote(planned)
  const byNode = new Map<ObjectId, PlannedOperation[]>()
  for (const op of planned) {
    const list = byNode.get(op.node) ?? []
    list.push(op)
    byNode.set(op.node, list)
  }
  const predecessors = new Map<number, Set<number>>(
    planned.map((op) => [op.key, new Set<number>()]),
  )
  const addEdge = (before: PlannedOperation, after: PlannedOperation): void => {
    if (before.key === after.key || phaseOf.get(before.key) !== phaseOf.get(after.key)) return
    predecessors.get(after.key)!.add(before.key)
  }
  const byKey = new Map(planned.map((op) => [op.key, op]))
  const extensionSetUp = planned.filter(
    (op) => op.rank === Rank.extension && op.role !== 'drop' && !op.removes,
  )
  const extensionDrops = planned.filter((op) => op.rank === Rank.extension && op.role === 'drop')

  for (const op of planned) {
    for (const key of op.after) {
      const before = byKey.get(key)
      if (before) addEdge(before, op)
    }
    const sameNode = byNode.get(op.node) ?? []
    if (op.role !== 'drop') {
      for (const need of op.needs) {
        if (need === op.node) continue
        for (const before of byNode.get(need) ?? []) {
          const prerequisite = before.role !== 'drop' && before.isPrerequisite && !before.removes
          if (prerequisite) addEdge(before, op)
        }
      }
      for (const before of sameNode) {
        // A removal on a node that is dropped clears the way for the drop, so it goes first.
        if (before.role === 'drop' && !op.removes) addEdge(before, op)
        if (op.role === 'alter' && before.role === 'create') addEdge(before, op)
      }
      if (op.rank > Rank.extension) for (const before of extensionSetUp) addEdge(before, op)
    }
    if (op.role === 'drop') {
      for (const dependent of from.dependentsOf(op.node)) {
        for (const before of byNode.get(dependent) ?? []) {
          if (before.role === 'drop' || before.role === 'alter') addEdge(before, op)
        }
      }
    }
    if (op.role === 'alter') {
      for (const dependent of from.dependentsOf(op.node)) {
        for (const before of byNode.get(dependent) ?? []) {
          // A removal on a node that is dropped clears the way for the drop, so it goes first.
        if (before.role === 'drop' && !op.removes) addEdge(before, op)
        }
      }
    }
    // An extension goes last: whatever used its types or functions has been changed or dropped.
    if (op.role !== 'create' && op.rank > Rank.extension) {
      for (const extension of extensionDrops) addEdge(op, extension)
    }
  }

  const ordered: Operation[] = []
  for (const phase of ['pre-data', 'post-data'] as const) {
    const pending = planned.filter((op) => phaseOf.get(op.key) === phase)
    for (const op of sortTopologically(pending, predecessors)) {
      ordered.push(op.operation.phase === phase ? op.operation : { ...op.operation, phase })
    }
  }
  return ordered
}

/** Moves post-data creations that pre-data operations need into pre-data, transitively. */
function promote(planned: readonly PlannedOperation[]): Map<number, Phase> {
  const phaseOf = new Map<number, Phase>(planned.map((op) => [op.key, op.operation.phase]))
  const creators = new Map<ObjectId, PlannedOperation[]>()
  for (const op of planned) {
    if (op.role !== 'create' && op.operation.kind !== 'replace_view') continue
    const list = creators.get(op.node) ?? []
    list.push(op)
    creators.set(op.node, list)
  }
  let changed = true
  while (changed) {
    changed = false
    for (const op of planned) {
      if (phaseOf.get(op.key) !== 'pre-data' || op.role === 'drop') continue
      for (const need of op.needs) {
        for (const creator of creators.get(need) ?? []) {
          if (phaseOf.get(creator.key) === 'post-data') {
            phaseOf.set(creator.key, 'pre-data')
            changed = true
          }
        }
      }
    }
  }
  return phaseOf
}

function sortTopologically(
  pending: readonly PlannedOperation[],
  predecessors: ReadonlyMap<number, ReadonlySet<number>>,
): PlannedOperation[] {
  const remaining = new Map(pending.map((op) => [op.key, op]))
  const waitingFor = new Map<number, number>()
  const successors = new Map<number, number[]>()
  for (const op of pending) {
    let count = 0
    for (const key of predecessors.get(op.key) ?? []) {
      if (!remaining.has(key)) continue
      count++
      const list = successors.get(key) ?? []
      list.push(op.key)
      successors.set(key, list)
    }
    waitingFor.set(op.key, count)
  }
  let ready = pending.filter((op) => waitingFor.get(op.key) === 0)
  const result: PlannedOperation[] = []
  while (remaining.size > 0) {
    // A cycle leaves nothing ready: take the best-placed operation anyway, deterministically.
    const candidates = ready.length > 0 ? ready : [...remaining.values()]
    let best = candidates[0]!
    for (const op of candidates) if (comparePriority(op, best) < 0) best = op
    ready = ready.filter((op) => op.key !== best.key)
    remaining.delete(best.key)
    result.push(best)
    for (const key of successors.get(best.key) ?? []) {
      const count = waitingFor.get(key)! - 1
      waitingFor.set(key, count)
      const successor = remaining.get(key)
      if (count === 0 && successor) ready.push(successor)
    }
  }
  return result
}

function comparePriority(a: PlannedOperation, b: PlannedOperation): number {
  const aEarly = a.role === 'drop' || a.removes ? 0 : 1
  const bEarly = b.role === 'drop' || b.removes ? 0 : 1
  if (aEarly !== bEarly) return aEarly - bEarly
  const aRank = a.role === 'drop' ? -a.rank : a.rank
  const bRank = b.role === 'drop' ? -b.rank : b.rank
  if (aRank !== bRank) return aRank - bRank
  return compareIds(a.node, b.node) || a.key - b.key
}
