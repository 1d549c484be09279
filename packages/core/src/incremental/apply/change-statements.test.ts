import assert from 'node:assert/strict'
import { test } from 'node:test'
import { updateRowStatement } from './change-statements.js'
import type { RouteColumn, TableRoute } from './table-route.js'

function column(index: number, name: string, type: string, isKey: boolean): RouteColumn {
  return { index, sourceName: name, destination: `"${name}"`, destinationName: name, type, comparable: true, isKey }
}

function route(identityFull: boolean): TableRoute {
  const columns = [column(0, 'id', 'bigint', true), column(1, 'amount', 'numeric', identityFull)]
  return {
    tableId: 'table:public.orders',
    relationOid: 1,
    destination: 'public.orders',
    source: 'public.orders',
    operations: new Set(['insert', 'update', 'delete']),
    whereSql: null,
    skipBefore: 0n,
    columns,
    mapped: columns,
    identity: identityFull ? columns : [columns[0]!],
    identityFull,
    upsert: !identityFull,
  }
}

// a GENERATED ALWAYS identity key refuses SET id = <value> even when the value is the same
test('updateRowStatement: an unchanged key is not SET, with a key or a FULL replica identity', () => {
  for (const identityFull of [false, true]) {
    const statement = updateRowStatement(route(identityFull), ['7', '1.50'], ['7', '2.50'])
    assert.ok(statement !== null)
    assert.match(statement.text, /^UPDATE public\.orders SET "amount" = \$1::numeric WHERE /, `identityFull ${identityFull}`)
    assert.equal(statement.values[0], '2.50')
  }
})

test('updateRowStatement: a FULL identity update that changes nothing is no statement', () => {
  assert.equal(updateRowStatement(route(true), ['7', '1.50'], ['7', '1.50']), null)
})

test('updateRowStatement: a changed key is SET', () => {
  const statement = updateRowStatement(route(false), ['7', '1.50'], ['8', '1.50'])
  assert.ok(statement !== null)
  assert.match(statement.text, /SET "id" = \$1::bigint, "amount" = \$2::numeric WHERE "id" = \$3::bigint/)
})
