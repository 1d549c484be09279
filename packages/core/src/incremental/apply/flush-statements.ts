import {
  deleteByKeyStatements,
  deleteRowStatement,
  insertStatements,
  updateRowStatement,
} from './change-statements.js'
import type { Cell, RowChange, Statement } from './row-change.js'
import type { TableRoute } from './table-route.js'

type Entry =
  | { readonly kind: 'upsert'; readonly row: readonly Cell[] }
  | { readonly kind: 'partial'; readonly row: readonly Cell[] }
  | { readonly kind: 'delete'; readonly key: readonly Cell[] }

function identityKey(route: TableRoute, row: readonly Cell[]): string {
  return JSON.stringify(route.identity.map((column) => row[column.index] ?? null))
}

function complete(row: readonly Cell[]): boolean {
  return !row.includes(undefined)
}

/** `row` with its unchanged TOAST values taken from an earlier image of the same row. */
function fill(row: readonly Cell[], earlier: readonly Cell[]): Cell[] {
  return row.map((cell, index) => (cell === undefined ? earlier[index] : cell))
}

/**
 * The statements that apply a table's changes, in order, to the destination.
 *
 * With an upsert key (`route.upsert`) and `compact`, the changes collapse to their net effect
 * per row — the last image of each row, or its deletion — and go out as one multi-row DELETE
 * and one multi-row INSERT ... ON CONFLICT: a thousand updates of ten rows become ten rows
 * written once. Changes to different rows commute (triggers and foreign keys are off under
 * `session_replication_role = replica`); a unique constraint on other columns that the net
 * effect violates in this order makes the batch fail, and the caller re-applies it in order
 * (`compact: false`).
 *
 * Otherwise every change becomes its own statement, in order, except that runs of inserts
 * share multi-row INSERTs.
 */
export function flushStatements(route: TableRoute, changes: readonly RowChange[], compact: boolean): Statement[] {
  if (compact && route.upsert) return compacted(route, changes)
  return sequential(route, changes)
}

function compacted(route: TableRoute, changes: readonly RowChange[]): Statement[] {
  const statements: Statement[] = []
  let entries = new Map<string, Entry>()
  const drain = () => {
    statements.push(...render(route, entries))
    entries = new Map()
  }
  for (const change of changes) {
    if (change.kind === 'insert') {
      entries.set(identityKey(route, change.row), { kind: 'upsert', row: change.row })
      continue
    }
    if (change.kind === 'delete') {
      entries.set(identityKey(route, change.old), { kind: 'delete', key: change.old })
      continue
    }
    const newKey = identityKey(route, change.row)
    const oldKey = change.old === null ? newKey : identityKey(route, change.old)
    let row = change.row
    if (!complete(row)) {
      const earlier = entries.get(oldKey)
      if (earlier !== undefined && earlier.kind !== 'delete') row = fill(row, earlier.row)
    }
    if (!complete(row)) {
      if (oldKey !== newKey) {
        // a key change that keeps a TOAST value only the destination has: must run in order
        drain()
        const statement = updateRowStatement(route, change.old ?? change.row, row)
        if (statement !== null) statements.push(statement)
        continue
      }
      entries.set(newKey, { kind: 'partial', row })
      continue
    }
    if (oldKey !== newKey) entries.set(oldKey, { kind: 'delete', key: change.old ?? change.row })
    entries.set(newKey, { kind: 'upsert', row })
  }
  drain()
  return statements
}

function render(route: TableRoute, entries: ReadonlyMap<string, Entry>): Statement[] {
  const deletes: (readonly Cell[])[] = []
  const upserts: (readonly Cell[])[] = []
  const partials: Statement[] = []
  for (const entry of entries.values()) {
    if (entry.kind === 'delete') deletes.push(entry.key)
    else if (entry.kind === 'upsert') upserts.push(entry.row)
    else {
      const statement = updateRowStatement(route, entry.row, entry.row)
      if (statement !== null) partials.push(statement)
    }
  }
  // deletes first: a row deleted and another inserted with the same unique value must not collide
  return [
    ...(deletes.length > 0 ? deleteByKeyStatements(route, deletes) : []),
    ...(upserts.length > 0 ? insertStatements(route, upserts, true) : []),
    ...partials,
  ]
}

function sequential(route: TableRoute, changes: readonly RowChange[]): Statement[] {
  const statements: Statement[] = []
  let inserts: (readonly Cell[])[] = []
  const drainInserts = () => {
    if (inserts.length > 0) statements.push(...insertStatements(route, inserts, route.upsert))
    inserts = []
  }
  for (const change of changes) {
    if (change.kind === 'insert') {
      inserts.push(change.row)
      // the same row twice in one INSERT ... ON CONFLICT DO UPDATE is an error
      if (route.upsert) drainInserts()
      continue
    }
    drainInserts()
    if (change.kind === 'delete') {
      statements.push(deleteRowStatement(route, change.old))
      continue
    }
    const identity = change.old ?? change.row
    const keyChanged = change.old !== null && identityKey(route, change.old) !== identityKey(route, change.row)
    if (route.upsert && complete(change.row)) {
      // an upsert also brings back a row the destination lacks (a row filter it entered)
      if (keyChanged) statements.push(deleteRowStatement(route, identity))
      statements.push(...insertStatements(route, [change.row], true))
      continue
    }
    const statement = updateRowStatement(route, identity, change.row)
    if (statement !== null) statements.push(statement)
  }
  drainInserts()
  return statements
}
