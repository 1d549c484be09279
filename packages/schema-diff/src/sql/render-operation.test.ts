import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { diffSchemas } from '../diff/diff-schemas.js'
import type { Operation } from '../diff/operation.js'
import * as m from '../model/test-models.js'
import { renderOperation } from './render-operation.js'
import { renderScript } from './render-script.js'

const base = { phase: 'pre-data', hazards: [], transactional: true, lockTimeoutMs: null, note: null } as const

describe('renderOperation', () => {
  test('quotes every identifier that needs it: case, spaces, keywords, quotes, unicode, emoji', () => {
    const table = { schema: 'Sales Ops', name: 'Order Items' }
    const ops: Operation[] = [
      { ...base, kind: 'drop_column', id: 'table:x', table, column: 'sElEcT' },
      { ...base, kind: 'drop_column', id: 'table:x', table, column: 'select' },
      { ...base, kind: 'drop_column', id: 'table:x', table, column: 'a"b' },
      { ...base, kind: 'drop_column', id: 'table:x', table, column: 'ünïcödé' },
      { ...base, kind: 'drop_column', id: 'table:x', table, column: '🚀' },
      { ...base, kind: 'drop_column', id: 'table:x', table, column: 'plain_name' },
      { ...base, kind: 'rename_index', id: 'table:x', index: { schema: 'user', name: 'Idx' }, newName: 'idx "new"' },
      {
        ...base,
        kind: 'alter_sequence_owned_by',
        id: 'sequence:x',
        sequence: { schema: 'order', name: 's' },
        ownedBy: { schema: 'Sales Ops', table: 'Order Items', column: 'sElEcT' },
      },
      {
        ...base,
        kind: 'comment_on',
        id: 'table:x',
        target: { kind: 'constraint', schema: 'Sales Ops', table: 'Order Items', name: 'Check "it"' },
        comment: "it's here",
      },
      {
        ...base,
        kind: 'create_enum_type',
        id: 'type:x',
        type: { schema: 'public', name: 'Mood ☺' },
        labels: ["it's", 'ok', 'ünï'],
      },
    ]
    assert.deepEqual(ops.flatMap(renderOperation).map((statement) => statement.sql), [
      'ALTER TABLE "Sales Ops"."Order Items" DROP COLUMN "sElEcT"',
      'ALTER TABLE "Sales Ops"."Order Items" DROP COLUMN "select"',
      'ALTER TABLE "Sales Ops"."Order Items" DROP COLUMN "a""b"',
      'ALTER TABLE "Sales Ops"."Order Items" DROP COLUMN "ünïcödé"',
      'ALTER TABLE "Sales Ops"."Order Items" DROP COLUMN "🚀"',
      'ALTER TABLE "Sales Ops"."Order Items" DROP COLUMN plain_name',
      'ALTER INDEX "user"."Idx" RENAME TO "idx ""new"""',
      'ALTER SEQUENCE "order".s OWNED BY "Sales Ops"."Order Items"."sElEcT"',
      `COMMENT ON CONSTRAINT "Check ""it""" ON "Sales Ops"."Order Items" IS 'it''s here'`,
      `CREATE TYPE public."Mood ☺" AS ENUM ('it''s', 'ok', 'ünï')`,
    ])
  })

  test('a tortured table is created and dropped with every name quoted', () => {
    const table = m.table('Sales Ops', 'Order Items', [
      m.column('sElEcT', 'integer', { notNull: true }),
      m.column('a"b', 'text', { default: `'x''y'::text` }),
      m.column('emoji 🚀', 'integer', { identity: m.identity('seq "1"'), notNull: true }),
    ])
    const model = m.model({ schemas: [m.schema('public'), m.schema('Sales Ops')], tables: [table] })
    assert.equal(
      renderScript(diffSchemas(m.model({ schemas: [m.schema('public'), m.schema('Sales Ops')] }), model)),
      'CREATE TABLE "Sales Ops"."Order Items" (\n' +
        '    "sElEcT" integer NOT NULL,\n' +
        `    "a""b" text DEFAULT 'x''y'::text,\n` +
        '    "emoji 🚀" integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "Sales Ops"."seq ""1""" START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE) NOT NULL\n' +
        ');\n',
    )
  })

  test('storage parameters with values that are not plain words are quoted', () => {
    const op: Operation = {
      ...base,
      kind: 'set_storage_parameters',
      id: 'table:x',
      table: { schema: 'public', name: 't' },
      parameters: ['fillfactor=70', "odd=a b'c"],
    }
    assert.equal(renderOperation(op)[0]?.sql, `ALTER TABLE public.t SET (fillfactor=70, odd='a b''c')`)
  })
})

describe('renderScript', () => {
  test('empty for no operations', () => {
    assert.equal(renderScript([]), '')
  })

  test('blank-line separated statements, lock_timeout changes, non-transactional statements marked', () => {
    const table = { schema: 'public', name: 't' }
    const ops: Operation[] = [
      { ...base, kind: 'drop_column', id: 'table:public.t', table, column: 'a', lockTimeoutMs: 5000 },
      { ...base, kind: 'drop_column', id: 'table:public.t', table, column: 'b', lockTimeoutMs: 5000 },
      {
        ...base,
        phase: 'post-data',
        kind: 'create_index',
        id: 'table:public.t',
        index: { schema: 'public', name: 'i' },
        definition: 'CREATE INDEX i ON public.t USING btree (c)',
        concurrently: true,
        transactional: false,
        lockTimeoutMs: 5000,
      },
      { ...base, kind: 'create_schema', id: 'schema:s', name: 's' },
    ]
    assert.equal(
      renderScript(ops),
      [
        "SET lock_timeout = '5000ms';\nALTER TABLE public.t DROP COLUMN a;",
        'ALTER TABLE public.t DROP COLUMN b;',
        '-- runs outside a transaction\nCREATE INDEX CONCURRENTLY i ON public.t USING btree (c);',
        'RESET lock_timeout;\nCREATE SCHEMA s;',
      ].join('\n\n') + '\n',
    )
  })

  test('function bodies are not checked while the script runs', () => {
    const script = renderScript(diffSchemas(m.model(), m.richModel()))
    assert.ok(script.startsWith('SET check_function_bodies = false;\n\nCREATE SCHEMA sales;\n'))
    assert.ok(script.endsWith(';\n'))
  })
})
