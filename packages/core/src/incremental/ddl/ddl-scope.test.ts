import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ResolvedSelection } from '../../selection/index.js'
import type { MigrationSpec } from '../../spec/index.js'
import { decodeCapturedDdl } from './captured-ddl.js'
import { DdlScope, ddlScope } from './ddl-scope.js'
import type { DdlScopeData } from './ddl-scope.js'

const spec = {
  metadata: { name: 'm1' },
  objects: [
    { schema: 'sales', destinationSchema: 'sales_eu', exclude: ['tmp_*', 'a.b?'], tables: null },
    {
      schema: 'public',
      destinationSchema: 'public',
      exclude: [],
      tables: [{ name: 'orders', destinationName: 'orders_archive', columns: { exclude: ['note'], rename: { amount: 'total' } } }],
    },
  ],
} as unknown as MigrationSpec

const selection = {
  tables: [
    { table: { schema: 'sales', name: 'items' }, spec: null, destinationSchema: 'sales_eu', destinationName: 'items' },
    {
      table: { schema: 'public', name: 'orders' },
      spec: spec.objects?.[1]?.tables?.[0],
      destinationSchema: 'public',
      destinationName: 'orders_archive',
    },
  ],
} as unknown as ResolvedSelection

test('ddlScope: selected tables with their mappings, and which new tables a whole schema takes', () => {
  const scope = ddlScope(spec, selection)
  assert.equal(scope.migration, 'm1')
  assert.deepEqual(scope.table('public', 'orders'), {
    schema: 'public',
    name: 'orders',
    destinationSchema: 'public',
    destinationName: 'orders_archive',
    columns: { exclude: ['note'], rename: { amount: 'total' } },
    isListed: true,
  })
  assert.equal(scope.table('sales', 'items')?.isListed, false)
  assert.equal(scope.selectsNewTable('sales', 'fresh'), true)
  assert.equal(scope.selectsNewTable('sales', 'tmp_x'), false)
  assert.equal(scope.selectsNewTable('public', 'fresh'), false)
  assert.equal(scope.selectsWholeSchema('sales'), true)
  assert.equal(scope.destinationSchema('sales'), 'sales_eu')
  assert.deepEqual(scope.newTableRules(), {
    wholeDatabase: false,
    schemas: [{ schema: 'sales', exclude: ['^tmp_.*$', '^a\\.b.$'] }],
  })
  const renamed = scope.withoutTable({ schema: 'sales', name: 'items' })
  assert.equal(renamed.table('sales', 'items'), undefined)
  assert.ok(scope.table('sales', 'items'), 'scopes are immutable')
  const restored = new DdlScope(JSON.parse(JSON.stringify(renamed)) as DdlScopeData)
  assert.deepEqual(restored.toJSON(), renamed.toJSON())
  assert.equal(restored.selectsNewTable('sales', 'tmp_x'), false)

  const whole = ddlScope({ ...spec, objects: null } as MigrationSpec, { tables: [] } as unknown as ResolvedSelection)
  assert.equal(whole.selectsNewTable('anything', 'x'), true)
  assert.equal(whole.selectsNewTable('pg_catalog', 'x'), false)
  assert.equal(whole.selectsNewTable('pgshift', 'ddl_log'), false)
})

test('decodeCapturedDdl: the text of a ddl_log row as pgoutput delivers it', () => {
  const captured = decodeCapturedDdl({
    id: '42',
    migration: 'm1',
    event: 'ddl_command_end',
    command_tag: 'ALTER TABLE',
    object_type: 'table',
    object_identity: 'sales.items',
    schema_name: 'sales',
    statement: 'ALTER TABLE items ADD x int',
    statement_ordinal: '1',
    search_path: 'sales, public',
    search_path_schemas: '["pg_catalog", "sales", "public"]',
    commands: '[{"commandTag": "ALTER TABLE", "objectType": "table", "schema": "sales", "name": "items", "identity": "sales.items", "table": null}]',
    capture_error: null,
    transaction_id: '900',
    captured_at: '2026-01-01 00:00:00+00',
  })
  assert.equal(captured.id, 42n)
  assert.equal(captured.statementOrdinal, 1)
  assert.deepEqual(captured.searchPathSchemas, ['pg_catalog', 'sales', 'public'])
  assert.equal(captured.commands[0]?.name, 'items')
  assert.throws(() => decodeCapturedDdl({ id: '1' }), /column event is missing/)
})
