import type { ObjectId } from '../model/schema-model.js'
import type { Operation } from './operation.js'

/**
 * Intrinsic order of object kinds, used where no dependency decides: schemas, extensions,
 * collations, types, sequences, functions (defaults and checks may call them), tables, columns,
 * OWNED BY, constraints, indexes, foreign keys (after every key they may reference, their own
 * table's included, as pg_restore orders them), views, materialized view data, triggers,
 * policies, row security, comments. Drops run in the reverse order.
 */
export const Rank = {
  schema: 0,
  extension: 1,
  collation: 2,
  type: 3,
  sequence: 4,
  function: 5,
  table: 6,
  column: 7,
  ownedBy: 8,
  constraint: 9,
  index: 10,
  foreignKey: 11,
  view: 12,
  refresh: 13,
  trigger: 14,
  policy: 15,
  rowSecurity: 16,
  comment: 17,
} as const

/** An operation with what the ordering needs to know about it; internal to the diff. */
export interface PlannedOperation {
  /** Emission number: unique, and the last tie-breaker. */
  readonly key: number
  readonly operation: Operation
  /** The top-level object whose state the operation changes. */
  readonly node: ObjectId
  /** Creates or drops `node` itself, or changes it (sub-objects included). */
  readonly role: 'create' | 'alter' | 'drop'
  /** Removes a sub-object (column, constraint, index, trigger, policy...): runs early. */
  readonly removes: boolean
  /** Whether operations needing `node` wait for this one (false for OWNED BY, comments, FKs...). */
  readonly isPrerequisite: boolean
  readonly rank: number
  /** Objects whose creation and prerequisite changes must come first. */
  readonly needs: readonly ObjectId[]
  /** Keys of operations that must come first. */
  readonly after: readonly number[]
}
