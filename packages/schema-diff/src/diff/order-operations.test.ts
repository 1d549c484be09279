import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SchemaModel } from '../model/schema-model.js'
import { renderOperation } from '../sql/render-operation.js'
import { diffSchemas } from './diff-schemas.js'
import type { Operation } from './operation.js'
import * as m from '../model/test-models.js'

function sqlOf(operations: readonly Operation[]): string[] {
  return operations.map((op) => renderOperation(op)[0]?.sql ?? '')
}

/** Index of the first statement starting with `prefix`; fails when there is none. */
function position(statements: readonly string[], prefix: string): number {
  const at = statements.findIndex((statement) => statement.startsWith(prefix))
  assert.ok(at >= 0, `no statement starts with ${prefix} in:\n${statements.join('\n')}`)
  return at
}

// A deterministic shuffle (the order must not matter, whatever it is).
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items]
  let state = seed
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648
    const j = state % (i + 1)
    ;[result[i], result[j]] = [result[j]!, result[i]!]
  }
  return result
}

function shuffleModel(model: SchemaModel, seed: number): SchemaModel {
  return {
    ...model,
    schemas: shuffled(model.schemas, seed),
    extensions: shuffled(model.extensions, seed + 1),
    collations: shuffled(model.collations, seed + 2),
    types: shuffled(model.types, seed + 3),
    sequences: shuffled(model.sequences, seed + 4),
    tables: shuffled(model.tables, seed + 5).map((table) => ({
      ...table,
      constraints: shuffled(table.constraints, seed + 6),
      indexes: shuffled(table.indexes, seed + 7),
      triggers: shuffled(table.triggers, seed + 8),
      policies: shuffled(table.policies, seed + 9),
      dependsOn: shuffled(table.dependsOn, seed + 10),
    })),
    views: shuffled(model.views, seed + 11),
    functions: shuffled(model.functions, seed + 12),
  }
}

describe('operation order', () => {
  test('a view over a view over a table: table in pre-data, then the views in dependency order', () => {
    const t = m.table('public', 't', [m.column('id', 'integer')])
    // Named so that alphabetical order would be wrong.
    const a = m.view('public', 'a_top', ' SELECT b_middle.id FROM public.b_middle;', [], { dependsOn: ['view:public.b_middle'] })
    const b = m.view('public', 'b_middle', ' SELECT c_bottom.id FROM public.c_bottom;', [], { dependsOn: ['view:public.c_bottom'] })
    const c = m.view('public', 'c_bottom', ' SELECT t.id FROM public.t;', [], { dependsOn: [t.id] })
    const ops = diffSchemas(m.model(), m.model({ tables: [t], views: [a, b, c] }))
    assert.deepEqual(
      ops.map((op) => [op.kind, op.id, op.phase]),
      [
        ['create_table', 'table:public.t', 'pre-data'],
        ['create_view', 'view:public.c_bottom', 'post-data'],
        ['create_view', 'view:public.b_middle', 'post-data'],
        ['create_view', 'view:public.a_top', 'post-data'],
      ],
    )
  })

  test('a domain over an enum used by a table: enum, domain, table', () => {
    const zmood = m.enumType('public', 'zmood', ['a'])
    const domain = m.domainType('public', 'amood', 'public.zmood', { dependsOn: [zmood.id] })
    const t = m.table('public', 'a_table', [m.column('m', 'public.amood')], { dependsOn: [domain.id] })
    const ops = diffSchemas(m.model(), m.model({ types: [zmood, domain], tables: [t] }))
    assert.deepEqual(ops.map((op) => op.kind), ['create_enum_type', 'create_domain', 'create_table'])
  })

  test('two tables referencing each other: both tables first, foreign keys afterwards', () => {
    const a = m.table('public', 'a', [m.column('id', 'integer'), m.column('b_id', 'integer')], {
      dependsOn: ['table:public.b'],
      constraints: [
        m.constraint('a_pkey', 'primary_key', 'PRIMARY KEY (id)'),
        m.constraint('a_b_fkey', 'foreign_key', 'FOREIGN KEY (b_id) REFERENCES public.b(id)', { references: 'table:public.b' }),
      ],
    })
    const b = m.table('public', 'b', [m.column('id', 'integer'), m.column('a_id', 'integer')], {
      dependsOn: ['table:public.a'],
      constraints: [
        m.constraint('b_pkey', 'primary_key', 'PRIMARY KEY (id)'),
        m.constraint('b_a_fkey', 'foreign_key', 'FOREIGN KEY (a_id) REFERENCES public.a(id)', { references: 'table:public.a' }),
      ],
    })
    const both = m.model({ tables: [a, b] })
    const statements = sqlOf(diffSchemas(m.model(), both))
    assert.ok(position(statements, 'CREATE TABLE public.b') < position(statements, 'ALTER TABLE public.a ADD CONSTRAINT a_b_fkey'))
    assert.ok(position(statements, 'CREATE TABLE public.a') < position(statements, 'ALTER TABLE public.b ADD CONSTRAINT b_a_fkey'))
    assert.ok(position(statements, 'ALTER TABLE public.b ADD CONSTRAINT b_pkey') < position(statements, 'ALTER TABLE public.a ADD CONSTRAINT a_b_fkey'))
    const drops = sqlOf(diffSchemas(both, m.model()))
    assert.deepEqual(drops, [
      'ALTER TABLE public.a DROP CONSTRAINT a_b_fkey',
      'ALTER TABLE public.b DROP CONSTRAINT b_a_fkey',
      'DROP TABLE public.a',
      'DROP TABLE public.b',
    ])
  })

  test('drops run in reverse dependency order, before everything else', () => {
    const rich = m.richModel()
    const creates = diffSchemas(m.model(), rich)
    const drops = diffSchemas(rich, m.model())
    assert.ok(drops.every((op) => op.phase === 'pre-data'))
    // Whatever depends on an object is dropped before it.
    const dropAt = new Map(drops.map((op, index) => [op.id, index]))
    for (const object of [...rich.types, ...rich.tables, ...rich.views, ...rich.functions, ...rich.sequences]) {
      for (const dependency of object.dependsOn) {
        const own = dropAt.get(object.id)
        const other = dropAt.get(dependency)
        if (own === undefined || other === undefined || dependency.startsWith('table:') && object.id.startsWith('table:')) continue
        assert.ok(own < other, `${object.id} must be dropped before ${dependency}`)
      }
    }
    // And created after it.
    const createAt = new Map<string, number>()
    creates.forEach((op, index) => {
      if (op.kind.startsWith('create_') && !createAt.has(op.id)) createAt.set(op.id, index)
    })
    for (const object of [...rich.types, ...rich.views, ...rich.functions]) {
      for (const dependency of object.dependsOn) {
        const own = createAt.get(object.id)
        const other = createAt.get(dependency)
        if (own !== undefined && other !== undefined) assert.ok(other < own, `${dependency} before ${object.id}`)
      }
    }
    assert.deepEqual(sqlOf(drops).slice(-3), ['DROP COLLATION sales.nocase', 'DROP EXTENSION citext', 'DROP SCHEMA sales'])
  })

  test('a sequence owned by a column added to an existing table: create, add column, OWNED BY', () => {
    const before = m.table('public', 't', [m.column('name', 'text')])
    const seq = m.sequence('public', 't_id_seq', { ownedBy: { table: 'table:public.t', column: 'id' }, isSerial: true })
    const after = m.table(
      'public',
      't',
      [m.column('name', 'text'), m.column('id', 'bigint', { notNull: true, default: "nextval('public.t_id_seq'::regclass)" })],
      { dependsOn: [seq.id] },
    )
    assert.deepEqual(sqlOf(diffSchemas(m.model({ tables: [before] }), m.model({ tables: [after], sequences: [seq] }))), [
      'CREATE SEQUENCE public.t_id_seq AS bigint START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE',
      "ALTER TABLE public.t ADD COLUMN id bigint DEFAULT nextval('public.t_id_seq'::regclass) NOT NULL",
      'ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id',
    ])
    // And back: the column (with the sequence it owns) goes, nothing else to drop.
    assert.deepEqual(sqlOf(diffSchemas(m.model({ tables: [after], sequences: [seq] }), m.model({ tables: [before] }))), [
      'ALTER TABLE public.t DROP COLUMN id',
    ])
  })

  test('a column default moving off a sequence is changed before the sequence is dropped', () => {
    const seq = m.sequence('public', 'counter')
    const before = m.table('public', 't', [m.column('id', 'bigint', { default: "nextval('public.counter'::regclass)" })], {
      dependsOn: [seq.id],
    })
    const after = m.table('public', 't', [m.column('id', 'bigint')])
    assert.deepEqual(sqlOf(diffSchemas(m.model({ tables: [before], sequences: [seq] }), m.model({ tables: [after] }))), [
      'ALTER TABLE public.t ALTER COLUMN id DROP DEFAULT',
      'DROP SEQUENCE public.counter',
    ])
  })

  test('a view needed by a pre-data function is created in pre-data', () => {
    const t = m.table('public', 't', [m.column('id', 'integer')])
    const v = m.view('public', 'v', ' SELECT t.id FROM public.t;', [{ name: 'id', type: 'integer' }], { dependsOn: [t.id] })
    const f = m.fn('public', 'rows', '', 'CREATE OR REPLACE FUNCTION public.rows() RETURNS SETOF public.v ...', {
      returns: 'SETOF public.v',
      dependsOn: [v.id],
    })
    const ops = diffSchemas(m.model(), m.model({ tables: [t], views: [v], functions: [f] }))
    assert.deepEqual(ops.map((op) => [op.kind, op.phase]), [
      ['create_table', 'pre-data'],
      ['create_view', 'pre-data'],
      ['create_function', 'pre-data'],
    ])
  })

  test('deterministic: shuffled input arrays give the same operations', () => {
    const rich = m.richModel()
    const expected = diffSchemas(m.model(), rich)
    const expectedDrops = diffSchemas(rich, m.model())
    for (const seed of [1, 2, 3, 42, 1000]) {
      assert.deepEqual(diffSchemas(m.model(), shuffleModel(rich, seed)), expected)
      assert.deepEqual(diffSchemas(shuffleModel(rich, seed), m.model()), expectedDrops)
      assert.deepEqual(diffSchemas(shuffleModel(rich, seed), rich), [])
    }
  })

  test('diff(x, x) is empty for a rich model, lock-aware or not', () => {
    const rich = m.richModel()
    assert.deepEqual(diffSchemas(rich, rich), [])
    assert.deepEqual(diffSchemas(rich, structuredClone(rich), { lockAware: true }), [])
  })
})
