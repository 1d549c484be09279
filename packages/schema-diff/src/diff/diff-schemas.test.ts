import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { loadSqlParser } from '../mapping/sql-parser.js'
import type { SchemaModel, TableDef } from '../model/schema-model.js'
import { renderOperation } from '../sql/render-operation.js'
import { diffSchemas } from './diff-schemas.js'
import type { DiffOptions } from './diff-options.js'
import type { HazardCode, Phase } from './operation.js'
import * as m from '../model/test-models.js'

type Step = [kind: string, phase: Phase, sql: string, hazards?: HazardCode[]]

/** The diff as [kind, phase, SQL, hazard codes] rows, hazards left out when there are none. */
function steps(from: SchemaModel, to: SchemaModel, options?: DiffOptions): Step[] {
  return diffSchemas(from, to, options).map((op) => {
    const sql = renderOperation(op)
      .map((statement) => statement.sql)
      .join('\n')
    const hazards = op.hazards.map((hazard) => hazard.code)
    return hazards.length > 0 ? [op.kind, op.phase, sql, hazards] : [op.kind, op.phase, sql]
  })
}

// As after the spec's renames (applyMapping loads it): definitions are compared by meaning.
before(loadSqlParser)

const id = m.column('id', 'integer', { notNull: true })
const T = (columns = [id], extra: Partial<TableDef> = {}): TableDef => m.table('public', 't', columns, extra)
const withTable = (table: TableDef, extra: Partial<SchemaModel> = {}): SchemaModel =>
  m.model({ tables: [table], ...extra })

describe('diffSchemas: schemas, extensions, collations', () => {
  test('create_schema, comment_on and drop_schema', () => {
    const to = m.model({ schemas: [m.schema('public'), m.schema('Sales Ops', { comment: 'ops' })] })
    assert.deepEqual(steps(m.model(), to), [
      ['create_schema', 'pre-data', 'CREATE SCHEMA "Sales Ops"'],
      ['comment_on', 'pre-data', `COMMENT ON SCHEMA "Sales Ops" IS 'ops'`],
    ])
    assert.deepEqual(steps(to, m.model()), [['drop_schema', 'pre-data', 'DROP SCHEMA "Sales Ops"']])
  })

  test('create_extension, alter_extension_update, alter_extension_set_schema, drop_extension', () => {
    const v1 = m.model({ extensions: [m.extension('pg_trgm', '1.5')] })
    const v2 = m.model({
      schemas: [m.schema('public'), m.schema('ext')],
      extensions: [m.extension('pg_trgm', '1.6', { schema: 'ext' })],
    })
    assert.deepEqual(steps(m.model(), v1), [
      ['create_extension', 'pre-data', `CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public VERSION '1.5'`],
    ])
    assert.deepEqual(steps(v1, v2), [
      ['create_schema', 'pre-data', 'CREATE SCHEMA ext'],
      ['alter_extension_set_schema', 'pre-data', 'ALTER EXTENSION pg_trgm SET SCHEMA ext'],
      ['alter_extension_update', 'pre-data', `ALTER EXTENSION pg_trgm UPDATE TO '1.6'`],
    ])
    assert.deepEqual(steps(v1, m.model()), [
      ['drop_extension', 'pre-data', 'DROP EXTENSION pg_trgm', ['destructive']],
    ])
  })

  test('create_collation and a changed collation dropped and created', () => {
    const icu = m.model({ collations: [m.collation('public', 'nocase')] })
    const libc = m.model({
      collations: [m.collation('public', 'nocase', { provider: 'libc', locale: null, lcCollate: 'C', lcCtype: 'C', deterministic: true })],
    })
    assert.deepEqual(steps(m.model(), icu), [
      ['create_collation', 'pre-data', `CREATE COLLATION public.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`],
    ])
    assert.deepEqual(steps(icu, libc), [
      ['drop_collation', 'pre-data', 'DROP COLLATION public.nocase'],
      ['create_collation', 'pre-data', `CREATE COLLATION public.nocase (provider = libc, lc_collate = 'C', lc_ctype = 'C')`],
    ])
  })
})

describe('diffSchemas: types', () => {
  const mood = (labels: string[]) => m.model({ types: [m.enumType('public', 'mood', labels)] })

  test('create_enum_type and drop_type', () => {
    assert.deepEqual(steps(m.model(), mood(['a', "it's"])), [
      ['create_enum_type', 'pre-data', `CREATE TYPE public.mood AS ENUM ('a', 'it''s')`],
    ])
    assert.deepEqual(steps(mood(['a']), m.model()), [['drop_type', 'pre-data', 'DROP TYPE public.mood']])
  })

  test('alter_type_add_value keeps the old labels in order, outside a transaction', () => {
    const ops = diffSchemas(mood(['b', 'd']), mood(['a', 'b', 'c', 'd', 'e']))
    assert.deepEqual(
      ops.map((op) => renderOperation(op)[0]?.sql),
      [
        `ALTER TYPE public.mood ADD VALUE 'a' BEFORE 'b'`,
        `ALTER TYPE public.mood ADD VALUE 'c' AFTER 'b'`,
        `ALTER TYPE public.mood ADD VALUE 'e' AFTER 'd'`,
      ],
    )
    assert.ok(ops.every((op) => op.kind === 'alter_type_add_value' && !op.transactional && op.note !== null))
  })

  test('an enum losing or reordering labels is replaced: rename, create, move columns via text, drop', () => {
    const column = m.column('feeling', 'public.mood', { default: "'b'::public.mood" })
    const from = m.model({
      types: [m.enumType('public', 'mood', ['a', 'b', 'c'])],
      tables: [T([id, column], { dependsOn: ['type:public.mood'] })],
    })
    const to = m.model({
      types: [m.enumType('public', 'mood', ['b', 'a'])],
      tables: [T([id, column], { dependsOn: ['type:public.mood'] })],
    })
    assert.deepEqual(steps(from, to), [
      ['rename_type', 'pre-data', 'ALTER TYPE public.mood RENAME TO mood__pgshift_old'],
      ['create_enum_type', 'pre-data', `CREATE TYPE public.mood AS ENUM ('b', 'a')`],
      ['alter_column_drop_default', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN feeling DROP DEFAULT'],
      [
        'alter_column_type',
        'pre-data',
        'ALTER TABLE public.t ALTER COLUMN feeling TYPE public.mood USING feeling::text::public.mood',
        ['rewrite', 'locks', 'unsafe-cast', 'destructive'],
      ],
      ['drop_type', 'pre-data', 'DROP TYPE public.mood__pgshift_old'],
      ['alter_column_set_default', 'pre-data', `ALTER TABLE public.t ALTER COLUMN feeling SET DEFAULT 'b'::public.mood`],
    ])
  })

  test('create_domain with its constraints, and every ALTER DOMAIN', () => {
    const check = { name: 'positive', definition: 'CHECK ((VALUE > 0))', validated: true }
    const before = m.model({
      types: [m.domainType('public', 'amount', 'numeric(12,2)', { constraints: [check], default: '0' })],
    })
    assert.deepEqual(steps(m.model(), before), [
      ['create_domain', 'pre-data', 'CREATE DOMAIN public.amount AS numeric(12,2) DEFAULT 0 CONSTRAINT positive CHECK ((VALUE > 0))'],
    ])
    const after = m.model({
      types: [
        m.domainType('public', 'amount', 'numeric(12,2)', {
          notNull: true,
          constraints: [{ name: 'small', definition: 'CHECK ((VALUE < (100)::numeric))', validated: false }],
        }),
      ],
    })
    assert.deepEqual(steps(before, after), [
      ['alter_domain_drop_constraint', 'pre-data', 'ALTER DOMAIN public.amount DROP CONSTRAINT positive'],
      ['alter_domain_drop_default', 'pre-data', 'ALTER DOMAIN public.amount DROP DEFAULT'],
      ['alter_domain_add_constraint', 'pre-data', 'ALTER DOMAIN public.amount ADD CONSTRAINT small CHECK ((VALUE < (100)::numeric)) NOT VALID'],
      ['alter_domain_set_not_null', 'pre-data', 'ALTER DOMAIN public.amount SET NOT NULL'],
    ])
    assert.deepEqual(steps(after, before).map((step) => step[0]), [
      'alter_domain_drop_constraint',
      'alter_domain_set_default',
      'alter_domain_add_constraint',
      'alter_domain_drop_not_null',
    ])
    const validated = m.model({
      types: [
        m.domainType('public', 'amount', 'numeric(12,2)', {
          notNull: true,
          constraints: [{ name: 'small', definition: 'CHECK ((VALUE < (100)::numeric)) NOT VALID', validated: true }],
        }),
      ],
    })
    assert.deepEqual(steps(after, validated), [
      ['alter_domain_validate_constraint', 'post-data', 'ALTER DOMAIN public.amount VALIDATE CONSTRAINT small'],
    ])
  })

  test('a domain whose base type changes is replaced', () => {
    const before = m.model({ types: [m.domainType('public', 'code', 'character varying(10)')] })
    const after = m.model({ types: [m.domainType('public', 'code', 'text')] })
    assert.deepEqual(steps(before, after), [
      ['rename_domain', 'pre-data', 'ALTER DOMAIN public.code RENAME TO code__pgshift_old'],
      ['create_domain', 'pre-data', 'CREATE DOMAIN public.code AS text'],
      ['drop_domain', 'pre-data', 'DROP DOMAIN public.code__pgshift_old'],
    ])
  })

  test('create_composite_type and ALTER TYPE ADD / DROP / ALTER ATTRIBUTE', () => {
    const before = m.model({
      types: [m.compositeType('public', 'pair', [m.attribute('a', 'integer'), m.attribute('b', 'text')])],
    })
    assert.deepEqual(steps(m.model(), before), [
      ['create_composite_type', 'pre-data', 'CREATE TYPE public.pair AS (a integer, b text)'],
    ])
    const after = m.model({
      types: [
        m.compositeType('public', 'pair', [
          m.attribute('a', 'bigint'),
          m.attribute('Ünïcode', 'text', 'pg_catalog."C"'),
        ]),
      ],
    })
    assert.deepEqual(steps(before, after), [
      ['alter_type_drop_attribute', 'pre-data', 'ALTER TYPE public.pair DROP ATTRIBUTE b'],
      ['alter_type_alter_attribute', 'pre-data', 'ALTER TYPE public.pair ALTER ATTRIBUTE a TYPE bigint'],
      ['alter_type_add_attribute', 'pre-data', 'ALTER TYPE public.pair ADD ATTRIBUTE "Ünïcode" text COLLATE pg_catalog."C"'],
    ])
  })

  test('create_range_type, and a changed range dropped and created', () => {
    const before = m.model({ types: [m.rangeType('public', 'floatrange', 'double precision')] })
    const after = m.model({
      types: [m.rangeType('public', 'floatrange', 'double precision', { subtypeDiff: 'float8mi' })],
    })
    assert.deepEqual(steps(before, after), [
      ['drop_type', 'pre-data', 'DROP TYPE public.floatrange'],
      [
        'create_range_type',
        'pre-data',
        'CREATE TYPE public.floatrange AS RANGE (SUBTYPE = double precision, SUBTYPE_DIFF = float8mi, MULTIRANGE_TYPE_NAME = public.floatrange_multirange)',
      ],
    ])
  })
})

describe('diffSchemas: sequences', () => {
  test('create_sequence, alter_sequence, alter_sequence_owned_by, drop_sequence', () => {
    const s1 = m.sequence('public', 'counter')
    const s2 = m.sequence('public', 'counter', {
      dataType: 'integer',
      increment: '5',
      max: '2147483647',
      cycle: true,
      ownedBy: { table: 'table:public.t', column: 'id' },
    })
    assert.deepEqual(steps(withTable(T()), withTable(T(), { sequences: [s1] })), [
      [
        'create_sequence',
        'pre-data',
        'CREATE SEQUENCE public.counter AS bigint START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE',
      ],
    ])
    assert.deepEqual(steps(withTable(T(), { sequences: [s1] }), withTable(T(), { sequences: [s2] })), [
      ['alter_sequence', 'pre-data', 'ALTER SEQUENCE public.counter AS integer INCREMENT BY 5 MAXVALUE 2147483647 CYCLE'],
      ['alter_sequence_owned_by', 'pre-data', 'ALTER SEQUENCE public.counter OWNED BY public.t.id'],
    ])
    assert.deepEqual(steps(withTable(T(), { sequences: [s1] }), withTable(T())), [
      ['drop_sequence', 'pre-data', 'DROP SEQUENCE public.counter'],
    ])
  })

  test('a sequence owned by a dropped table goes with it', () => {
    const owned = m.sequence('public', 't_id_seq', { ownedBy: { table: 'table:public.t', column: 'id' } })
    assert.deepEqual(steps(withTable(T(), { sequences: [owned] }), m.model()), [
      ['drop_table', 'pre-data', 'DROP TABLE public.t', ['destructive']],
    ])
  })
})

describe('diffSchemas: tables', () => {
  test('create_table with every column form, and drop_table', () => {
    const table = m.table('public', 'Order Items', [
      m.column('id', 'bigint', { notNull: true, identity: m.identity('Order Items_id_seq', { generation: 'by default' }) }),
      m.column('sElEcT', 'text', { collation: 'pg_catalog."C"', default: `'x'::text`, notNull: true }),
      m.column('twice', 'integer', { generated: '(2 * 21)' }),
    ], { persistence: 'unlogged', storageParameters: ['fillfactor=70', 'autovacuum_enabled=false'] })
    assert.deepEqual(steps(m.model(), withTable(table)), [
      [
        'create_table',
        'pre-data',
        'CREATE UNLOGGED TABLE public."Order Items" (\n' +
          '    id bigint GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME public."Order Items_id_seq" START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE) NOT NULL,\n' +
          `    "sElEcT" text COLLATE pg_catalog."C" DEFAULT 'x'::text NOT NULL,\n` +
          '    twice integer GENERATED ALWAYS AS ((2 * 21)) STORED\n' +
          ') WITH (autovacuum_enabled=false, fillfactor=70)',
      ],
    ])
    assert.deepEqual(steps(withTable(table), m.model()), [
      ['drop_table', 'pre-data', 'DROP TABLE public."Order Items"', ['destructive']],
    ])
  })

  test('add_column and drop_column, with their hazards on a table that exists', () => {
    const before = T([id, m.column('old', 'text')])
    const after = T([
      id,
      m.column('stamp', 'uuid', { default: 'gen_random_uuid()' }),
      m.column('doubled', 'integer', { generated: '(id * 2)' }),
      m.column('must', 'text', { notNull: true }),
    ])
    const ops = diffSchemas(withTable(before), withTable(after))
    assert.deepEqual(steps(withTable(before), withTable(after)), [
      ['drop_column', 'pre-data', 'ALTER TABLE public.t DROP COLUMN old', ['destructive']],
      ['add_column', 'pre-data', 'ALTER TABLE public.t ADD COLUMN stamp uuid DEFAULT gen_random_uuid()', ['rewrite']],
      ['add_column', 'pre-data', 'ALTER TABLE public.t ADD COLUMN doubled integer GENERATED ALWAYS AS ((id * 2)) STORED', ['rewrite']],
      ['add_column', 'pre-data', 'ALTER TABLE public.t ADD COLUMN must text NOT NULL'],
    ])
    assert.match(ops[3]?.note ?? '', /fails if public\.t has rows/)
  })

  test('alter_column_type: free, rewriting, unsafe, and needing USING', () => {
    const before = T([
      m.column('a', 'integer'),
      m.column('b', 'character varying(10)'),
      m.column('c', 'numeric(12,2)'),
      m.column('d', 'text', { default: `'0'::text` }),
    ])
    const after = T([
      m.column('a', 'bigint'),
      m.column('b', 'character varying(20)'),
      m.column('c', 'numeric(10,2)'),
      m.column('d', 'integer', { default: '0' }),
    ])
    assert.deepEqual(steps(withTable(before), withTable(after)), [
      ['alter_column_type', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN a TYPE bigint', ['rewrite', 'locks']],
      ['alter_column_type', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN b TYPE character varying(20)'],
      ['alter_column_type', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN c TYPE numeric(10,2)', ['rewrite', 'locks', 'unsafe-cast']],
      ['alter_column_drop_default', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN d DROP DEFAULT'],
      ['alter_column_type', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN d TYPE integer USING d::integer', ['rewrite', 'locks', 'unsafe-cast']],
      ['alter_column_set_default', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN d SET DEFAULT 0'],
    ])
  })

  test('a column moved to another enum goes through text, its default set again', () => {
    const types = [m.enumType('other', 'e1', ['a', 'b']), m.enumType('other', 'e2', ['a', 'b'])]
    const dependsOn = ['type:other.e1', 'type:other.e2']
    const typed = (type: string) =>
      withTable(
        T([m.column('m', type, { default: `'a'::${type}` }), m.column('ms', `${type}[]`)], {
          dependsOn,
        }),
        { types },
      )
    assert.deepEqual(steps(typed('other.e1'), typed('other.e2')).map((step) => step[2]), [
      'ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT',
      'ALTER TABLE public.t ALTER COLUMN m TYPE other.e2 USING m::text::other.e2',
      `ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'a'::other.e2`,
      'ALTER TABLE public.t ALTER COLUMN ms TYPE other.e2[] USING ms::text::other.e2[]',
    ])
    // A domain converts as its base type does: a plain cast.
    const domain = m.domainType('public', 'code', 'integer')
    const coded = withTable(T([m.column('c', 'public.code')], { dependsOn: [domain.id] }), {
      types: [domain],
    })
    const widened = withTable(T([m.column('c', 'bigint')]), { types: [domain] })
    assert.deepEqual(
      steps(coded, widened)[0]?.[2],
      'ALTER TABLE public.t ALTER COLUMN c TYPE bigint USING c::bigint',
    )
  })

  test('a dropped column goes after the drops of what uses it (DROP COLUMN takes them)', () => {
    const before = T([id, m.column('gone', 'integer')], {
      constraints: [m.constraint('x', 'check', 'CHECK ((gone > 0))', { columns: ['gone'] })],
      indexes: [
        m.index('t_gone', 'CREATE INDEX t_gone ON public.t USING btree (gone)', {
          columns: ['gone'],
        }),
      ],
      policies: [m.policy('own', { using: '(gone > 0)' })],
    })
    assert.deepEqual(steps(withTable(before), withTable(T())).map((step) => step[2]), [
      'ALTER TABLE public.t DROP CONSTRAINT x',
      'DROP INDEX public.t_gone',
      'DROP POLICY own ON public.t',
      'ALTER TABLE public.t DROP COLUMN gone',
    ])
  })

  test('collation change is ALTER TYPE with COLLATE', () => {
    const before = T([m.column('name', 'text')])
    const after = T([m.column('name', 'text', { collation: 'public.nocase' })])
    assert.deepEqual(steps(withTable(before), withTable(after)), [
      ['alter_column_type', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN name TYPE text COLLATE public.nocase', ['locks']],
    ])
    assert.deepEqual(steps(withTable(after), withTable(before))[0]?.[2], 'ALTER TABLE public.t ALTER COLUMN name TYPE text COLLATE pg_catalog."default"')
  })

  test('defaults and nullability', () => {
    const before = T([m.column('a', 'integer', { default: '1' }), m.column('b', 'integer', { notNull: true })])
    const after = T([m.column('a', 'integer', { notNull: true }), m.column('b', 'integer', { default: '2' })])
    assert.deepEqual(steps(withTable(before), withTable(after)), [
      ['alter_column_set_not_null', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN a SET NOT NULL', ['locks']],
      ['alter_column_drop_default', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT'],
      ['alter_column_set_default', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN b SET DEFAULT 2'],
      ['alter_column_drop_not_null', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN b DROP NOT NULL'],
    ])
  })

  test('identity: add, set generation and options, rename its sequence, drop', () => {
    const plain = T([m.column('id', 'integer', { notNull: true })])
    const always = T([m.column('id', 'integer', { notNull: true, identity: m.identity('t_id_seq') })])
    const changed = T([
      m.column('id', 'integer', {
        notNull: true,
        identity: m.identity('t_key_seq', { generation: 'by default', increment: '10', cache: '20' }),
      }),
    ])
    assert.deepEqual(steps(withTable(plain), withTable(always)), [
      [
        'alter_column_add_identity',
        'pre-data',
        'ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.t_id_seq START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE)',
      ],
    ])
    assert.deepEqual(steps(withTable(always), withTable(changed)), [
      ['alter_column_set_identity', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN id SET GENERATED BY DEFAULT SET INCREMENT BY 10 SET CACHE 20'],
      ['rename_sequence', 'pre-data', 'ALTER SEQUENCE public.t_id_seq RENAME TO t_key_seq'],
    ])
    assert.deepEqual(steps(withTable(always), withTable(plain)), [
      ['alter_column_drop_identity', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN id DROP IDENTITY'],
    ])
  })

  test('generated: DROP EXPRESSION; a new expression re-adds the column before PostgreSQL 17', () => {
    const generated = T([id, m.column('g', 'integer', { generated: '(id * 2)' })])
    const changed = T([id, m.column('g', 'integer', { generated: '(id * 3)' })])
    const plain = T([id, m.column('g', 'integer')])
    assert.deepEqual(steps(withTable(generated), withTable(plain)), [
      ['alter_column_drop_expression', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN g DROP EXPRESSION'],
    ])
    assert.deepEqual(steps(withTable(generated), withTable(changed)), [
      ['drop_column', 'pre-data', 'ALTER TABLE public.t DROP COLUMN g'],
      ['add_column', 'pre-data', 'ALTER TABLE public.t ADD COLUMN g integer GENERATED ALWAYS AS ((id * 3)) STORED', ['rewrite']],
    ])
    const pg17 = (table: TableDef) => m.model({ serverVersion: 170000, tables: [table] })
    assert.deepEqual(steps(pg17(generated), pg17(changed)), [
      ['alter_column_set_expression', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN g SET EXPRESSION AS ((id * 3))', ['rewrite']],
    ])
  })

  test('storage and statistics', () => {
    const before = T([m.column('body', 'text', { storage: 'external' }), m.column('n', 'numeric')])
    const after = T([m.column('body', 'text'), m.column('n', 'numeric', { storage: 'extended', statistics: 1000 })])
    assert.deepEqual(steps(withTable(before), withTable(after)), [
      ['alter_column_set_storage', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN body SET STORAGE EXTENDED'],
      ['alter_column_set_storage', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN n SET STORAGE EXTENDED'],
      ['alter_column_set_statistics', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN n SET STATISTICS 1000'],
    ])
    assert.deepEqual(steps(withTable(after), withTable(before)).map((step) => step[2]), [
      'ALTER TABLE public.t ALTER COLUMN body SET STORAGE EXTERNAL',
      'ALTER TABLE public.t ALTER COLUMN n SET STORAGE MAIN',
      'ALTER TABLE public.t ALTER COLUMN n SET STATISTICS -1',
    ])
  })

  test('persistence, storage parameters, replica identity, row security', () => {
    const before = T([id], { storageParameters: ['fillfactor=70', 'autovacuum_enabled=false'] })
    const after = T([id], {
      persistence: 'unlogged',
      storageParameters: ['fillfactor=80'],
      replicaIdentity: 'full',
      rowSecurity: true,
      forceRowSecurity: true,
    })
    assert.deepEqual(steps(withTable(before), withTable(after)), [
      ['set_unlogged', 'pre-data', 'ALTER TABLE public.t SET UNLOGGED', ['rewrite', 'locks']],
      ['reset_storage_parameters', 'pre-data', 'ALTER TABLE public.t RESET (autovacuum_enabled)'],
      ['set_storage_parameters', 'pre-data', 'ALTER TABLE public.t SET (fillfactor=80)'],
      ['set_replica_identity', 'pre-data', 'ALTER TABLE public.t REPLICA IDENTITY FULL'],
      ['enable_row_security', 'post-data', 'ALTER TABLE public.t ENABLE ROW LEVEL SECURITY'],
      ['force_row_security', 'post-data', 'ALTER TABLE public.t FORCE ROW LEVEL SECURITY'],
    ])
    assert.deepEqual(steps(withTable(after), withTable(before)).map((step) => step[0]), [
      'set_logged',
      'set_storage_parameters',
      'set_replica_identity',
      'disable_row_security',
      'no_force_row_security',
    ])
  })

  test('replica identity using an index comes after the index', () => {
    const unique = m.index('t_id', 'CREATE UNIQUE INDEX t_id ON public.t USING btree (id)', { columns: ['id'] })
    const after = T([id], { indexes: [unique], replicaIdentity: { index: 't_id' } })
    assert.deepEqual(steps(withTable(T()), withTable(after)), [
      ['create_index', 'post-data', 'CREATE UNIQUE INDEX t_id ON public.t USING btree (id)', ['locks']],
      ['set_replica_identity', 'post-data', 'ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_id'],
    ])
  })

  test('partitions: create as PARTITION OF, attach, detach', () => {
    const parent = m.table('public', 'events', [m.column('at', 'date')], { kind: 'partitioned', partitionKey: 'RANGE (at)' })
    const bound = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
    const partition = m.table('public', 'events_2024', [m.column('at', 'date', { inherited: true })], {
      dependsOn: [parent.id],
      partitionOf: { parent: parent.id, bound },
    })
    const loose = m.table('public', 'events_2024', [m.column('at', 'date')])
    assert.deepEqual(steps(m.model({ tables: [parent] }), m.model({ tables: [parent, partition] })), [
      ['create_table', 'pre-data', `CREATE TABLE public.events_2024 PARTITION OF public.events ${bound}`],
    ])
    assert.deepEqual(steps(m.model({ tables: [parent, loose] }), m.model({ tables: [parent, partition] })), [
      ['attach_partition', 'pre-data', `ALTER TABLE public.events ATTACH PARTITION public.events_2024 ${bound}`, ['locks']],
    ])
    assert.deepEqual(steps(m.model({ tables: [parent, partition] }), m.model({ tables: [parent, loose] })), [
      ['detach_partition', 'pre-data', 'ALTER TABLE public.events DETACH PARTITION public.events_2024', ['locks']],
    ])
  })

  test('a partition does not repeat what its partitioned table passes down', () => {
    const parent = (extra: string[]) =>
      m.table('public', 'events', [m.column('at', 'date'), ...extra.map((name) => m.column(name, 'text'))], {
        kind: 'partitioned',
        partitionKey: 'RANGE (at)',
      })
    const partition = (extra: string[]) =>
      m.table('public', 'events_2024', [m.column('at', 'date', { inherited: true }), ...extra.map((name) => m.column(name, 'text', { inherited: true }))], {
        partitionOf: { parent: 'table:public.events', bound: 'DEFAULT' },
      })
    assert.deepEqual(
      steps(m.model({ tables: [parent([]), partition([])] }), m.model({ tables: [parent(['what']), partition(['what'])] })),
      [['add_column', 'pre-data', 'ALTER TABLE public.events ADD COLUMN what text']],
    )
  })

  test('INHERIT and NO INHERIT', () => {
    const parent = m.table('public', 'base', [id])
    const child = (inherits: string[]) => m.table('public', 'child', [id], { inherits })
    assert.deepEqual(steps(m.model({ tables: [parent, child([])] }), m.model({ tables: [parent, child([parent.id])] })), [
      ['inherit', 'pre-data', 'ALTER TABLE public.child INHERIT public.base'],
    ])
    assert.deepEqual(steps(m.model({ tables: [parent, child([parent.id])] }), m.model({ tables: [parent, child([])] })), [
      ['no_inherit', 'pre-data', 'ALTER TABLE public.child NO INHERIT public.base'],
    ])
  })

  test('a table whose partition key changes is dropped and created', () => {
    const before = T([id], { kind: 'partitioned', partitionKey: 'RANGE (id)' })
    const after = T([id], { kind: 'partitioned', partitionKey: 'LIST (id)' })
    assert.deepEqual(steps(withTable(before), withTable(after)).map((step) => step.slice(0, 3)), [
      ['drop_table', 'pre-data', 'DROP TABLE public.t'],
      ['create_table', 'pre-data', 'CREATE TABLE public.t (\n    id integer NOT NULL\n) PARTITION BY LIST (id)'],
    ])
  })
})

describe('diffSchemas: constraints and indexes', () => {
  const pk = m.constraint('t_pkey', 'primary_key', 'PRIMARY KEY (id)', { columns: ['id'] })
  const check = m.constraint('t_positive', 'check', 'CHECK ((id > 0))', { columns: ['id'] })

  test('add_constraint: CHECK in pre-data, keys in post-data; drop_constraint; a changed one replaced', () => {
    assert.deepEqual(steps(withTable(T()), withTable(T([id], { constraints: [pk, check] }))), [
      ['add_constraint', 'pre-data', 'ALTER TABLE public.t ADD CONSTRAINT t_positive CHECK ((id > 0))', ['locks']],
      ['add_constraint', 'post-data', 'ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id)', ['locks']],
    ])
    const changed = m.constraint('t_positive', 'check', 'CHECK ((id > 10))', { columns: ['id'] })
    assert.deepEqual(steps(withTable(T([id], { constraints: [check] })), withTable(T([id], { constraints: [changed] }))), [
      ['drop_constraint', 'pre-data', 'ALTER TABLE public.t DROP CONSTRAINT t_positive'],
      ['add_constraint', 'pre-data', 'ALTER TABLE public.t ADD CONSTRAINT t_positive CHECK ((id > 10))', ['locks']],
    ])
  })

  test('a NOT VALID constraint stays NOT VALID; validate_constraint once the source validated it', () => {
    const notValid = m.constraint('t_positive', 'check', 'CHECK ((id > 0)) NOT VALID', { validated: false })
    assert.deepEqual(steps(withTable(T()), withTable(T([id], { constraints: [notValid] }))), [
      ['add_constraint', 'pre-data', 'ALTER TABLE public.t ADD CONSTRAINT t_positive CHECK ((id > 0)) NOT VALID'],
    ])
    assert.deepEqual(steps(withTable(T([id], { constraints: [notValid] })), withTable(T([id], { constraints: [check] }))), [
      ['validate_constraint', 'post-data', 'ALTER TABLE public.t VALIDATE CONSTRAINT t_positive'],
    ])
  })

  test('create_index, drop_index, rename_index (same definition under another name), a changed one rebuilt', () => {
    const byName = (name: string, columns = '(id)') =>
      m.index(name, `CREATE INDEX ${name} ON public.t USING btree ${columns}`, { columns: ['id'] })
    assert.deepEqual(steps(withTable(T()), withTable(T([id], { indexes: [byName('t_id')] }))), [
      ['create_index', 'post-data', 'CREATE INDEX t_id ON public.t USING btree (id)', ['locks']],
    ])
    assert.deepEqual(steps(withTable(T([id], { indexes: [byName('t_id')] })), withTable(T())), [
      ['drop_index', 'pre-data', 'DROP INDEX public.t_id'],
    ])
    assert.deepEqual(steps(withTable(T([id], { indexes: [byName('t_id')] })), withTable(T([id], { indexes: [byName('t_by_id')] }))), [
      ['rename_index', 'pre-data', 'ALTER INDEX public.t_id RENAME TO t_by_id'],
    ])
    assert.deepEqual(
      steps(withTable(T([id], { indexes: [byName('t_id')] })), withTable(T([id], { indexes: [byName('t_id', '(id DESC)')] }))),
      [
        ['drop_index', 'pre-data', 'DROP INDEX public.t_id'],
        ['create_index', 'post-data', 'CREATE INDEX t_id ON public.t USING btree (id DESC)', ['locks']],
      ],
    )
  })

  test('an invalid index (a killed CREATE INDEX CONCURRENTLY) is rebuilt, concurrently when lock-aware', () => {
    const valid = m.index('t_id', 'CREATE INDEX t_id ON public.t USING btree (id)', { columns: ['id'] })
    const invalid = { ...valid, valid: false }
    assert.deepEqual(steps(withTable(T([id], { indexes: [invalid] })), withTable(T([id], { indexes: [valid] }))), [
      ['drop_index', 'pre-data', 'DROP INDEX public.t_id'],
      ['create_index', 'post-data', 'CREATE INDEX t_id ON public.t USING btree (id)', ['locks']],
    ])
    const lockAware = steps(withTable(T([id], { indexes: [invalid] })), withTable(T([id], { indexes: [valid] })), { lockAware: true })
    assert.deepEqual(lockAware.map((step) => step[2]), [
      'DROP INDEX CONCURRENTLY public.t_id',
      'CREATE INDEX CONCURRENTLY t_id ON public.t USING btree (id)',
    ])
  })

  test('a partitioned index: ON ONLY the parent, the partition index, attach_index', () => {
    const parent = m.table('public', 'events', [m.column('at', 'date')], { kind: 'partitioned', partitionKey: 'RANGE (at)' })
    const partition = m.table('public', 'events_2024', [m.column('at', 'date', { inherited: true })], {
      partitionOf: { parent: parent.id, bound: 'DEFAULT' },
    })
    const withIndexes = m.model({
      tables: [
        { ...parent, indexes: [m.index('events_at', 'CREATE INDEX events_at ON ONLY public.events USING btree (at)')] },
        {
          ...partition,
          indexes: [
            m.index('events_2024_at_idx', 'CREATE INDEX events_2024_at_idx ON public.events_2024 USING btree (at)', {
              parentIndex: 'public.events_at',
            }),
          ],
        },
      ],
    })
    assert.deepEqual(steps(m.model({ tables: [parent, partition] }), withIndexes).map((step) => step.slice(0, 3)), [
      ['create_index', 'post-data', 'CREATE INDEX events_at ON ONLY public.events USING btree (at)'],
      ['create_index', 'post-data', 'CREATE INDEX events_2024_at_idx ON public.events_2024 USING btree (at)'],
      ['attach_index', 'post-data', 'ALTER INDEX public.events_at ATTACH PARTITION public.events_2024_at_idx'],
    ])
    // Dropping the partitioned index drops the partition's with it.
    assert.deepEqual(steps(withIndexes, m.model({ tables: [parent, partition] })), [
      ['drop_index', 'pre-data', 'DROP INDEX public.events_at'],
    ])
  })

  test('foreign keys referencing a rebuilt primary key are dropped first and added again', () => {
    const parent = (definition: string) =>
      m.table('public', 'parent', [id], { constraints: [m.constraint('parent_pkey', 'primary_key', definition)] })
    const child = m.table('public', 'child', [m.column('parent_id', 'integer')], {
      dependsOn: ['table:public.parent'],
      constraints: [
        m.constraint('child_parent_fkey', 'foreign_key', 'FOREIGN KEY (parent_id) REFERENCES public.parent(id)', {
          references: 'table:public.parent',
        }),
      ],
    })
    assert.deepEqual(
      steps(
        m.model({ tables: [parent('PRIMARY KEY (id)'), child] }),
        m.model({ tables: [parent('PRIMARY KEY (id) DEFERRABLE'), child] }),
      ).map((step) => step.slice(0, 3)),
      [
        ['drop_constraint', 'pre-data', 'ALTER TABLE public.child DROP CONSTRAINT child_parent_fkey'],
        ['drop_constraint', 'pre-data', 'ALTER TABLE public.parent DROP CONSTRAINT parent_pkey'],
        ['add_constraint', 'post-data', 'ALTER TABLE public.parent ADD CONSTRAINT parent_pkey PRIMARY KEY (id) DEFERRABLE'],
        ['add_constraint', 'post-data', 'ALTER TABLE public.child ADD CONSTRAINT child_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.parent(id)'],
      ],
    )
  })
})

describe('diffSchemas: views and functions', () => {
  const source = m.table('public', 't', [id, m.column('name', 'text')])
  const v = (definition: string, columns: { name: string; type: string }[], extra = {}) =>
    m.view('public', 'v', definition, columns, { dependsOn: [source.id], ...extra })
  const idOnly = v(' SELECT t.id\n   FROM public.t;', [{ name: 'id', type: 'integer' }])
  const appended = v(' SELECT t.id,\n    t.name\n   FROM public.t;', [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'text' },
  ])
  const nameOnly = v(' SELECT t.name\n   FROM public.t;', [{ name: 'name', type: 'text' }])

  test('create_view and drop_view', () => {
    assert.deepEqual(steps(withTable(source), withTable(source, { views: [idOnly] })), [
      ['create_view', 'post-data', 'CREATE VIEW public.v AS\n SELECT t.id\n   FROM public.t'],
    ])
    assert.deepEqual(steps(withTable(source, { views: [idOnly] }), withTable(source)), [
      ['drop_view', 'pre-data', 'DROP VIEW public.v'],
    ])
  })

  test('replace_view when columns are only appended, else drop and create', () => {
    assert.deepEqual(steps(withTable(source, { views: [idOnly] }), withTable(source, { views: [appended] })), [
      ['replace_view', 'post-data', 'CREATE OR REPLACE VIEW public.v AS\n SELECT t.id,\n    t.name\n   FROM public.t'],
    ])
    assert.deepEqual(steps(withTable(source, { views: [idOnly] }), withTable(source, { views: [nameOnly] })), [
      ['drop_view', 'pre-data', 'DROP VIEW public.v'],
      ['create_view', 'post-data', 'CREATE VIEW public.v AS\n SELECT t.name\n   FROM public.t'],
    ])
  })

  test('a view over a column whose type changes is dropped and created around the change', () => {
    const changed = m.table('public', 't', [m.column('id', 'bigint', { notNull: true }), m.column('name', 'text')])
    const bigView = v(' SELECT t.id\n   FROM public.t;', [{ name: 'id', type: 'bigint' }])
    assert.deepEqual(steps(withTable(source, { views: [idOnly] }), withTable(changed, { views: [bigView] })).map((s) => s[0]), [
      'drop_view',
      'alter_column_type',
      'create_view',
    ])
  })

  test('materialized view: created WITH NO DATA, indexed, refreshed; any change drops and creates it', () => {
    const mv = v(' SELECT t.id\n   FROM public.t;', [{ name: 'id', type: 'integer' }], {
      kind: 'materialized',
      indexes: [m.index('v_id', 'CREATE UNIQUE INDEX v_id ON public.v USING btree (id)')],
    })
    assert.deepEqual(steps(withTable(source), withTable(source, { views: [mv] })), [
      ['create_view', 'post-data', 'CREATE MATERIALIZED VIEW public.v AS\n SELECT t.id\n   FROM public.t\n  WITH NO DATA'],
      ['create_index', 'post-data', 'CREATE UNIQUE INDEX v_id ON public.v USING btree (id)'],
      ['refresh_materialized_view', 'post-data', 'REFRESH MATERIALIZED VIEW public.v'],
    ])
    const changed = { ...mv, definition: ' SELECT t.id\n   FROM public.t\n  WHERE (t.id > 0);' }
    assert.deepEqual(steps(withTable(source, { views: [mv] }), withTable(source, { views: [changed] })).map((s) => s[0]), [
      'drop_view',
      'create_view',
      'create_index',
      'refresh_materialized_view',
    ])
  })

  const f = (body: string, extra = {}) =>
    m.fn('public', 'answer', '', `CREATE OR REPLACE FUNCTION public.answer()\n RETURNS integer\n LANGUAGE sql\nAS $function$${body}$function$\n`, extra)

  test('create_function, replace_function, drop_function', () => {
    assert.deepEqual(steps(m.model(), m.model({ functions: [f('select 42')] })), [
      ['create_function', 'pre-data', 'CREATE OR REPLACE FUNCTION public.answer()\n RETURNS integer\n LANGUAGE sql\nAS $function$select 42$function$'],
    ])
    assert.deepEqual(steps(m.model({ functions: [f('select 42')] }), m.model({ functions: [f('select 43')] })), [
      ['replace_function', 'pre-data', 'CREATE OR REPLACE FUNCTION public.answer()\n RETURNS integer\n LANGUAGE sql\nAS $function$select 43$function$'],
    ])
    assert.deepEqual(steps(m.model({ functions: [f('select 42')] }), m.model()), [
      ['drop_function', 'pre-data', 'DROP FUNCTION public.answer()'],
    ])
  })

  test('a function whose result type changes is dropped and created', () => {
    const text = f(`select '42'`, { returns: 'text' })
    assert.deepEqual(steps(m.model({ functions: [f('select 42')] }), m.model({ functions: [text] })).map((s) => s[0]), [
      'drop_function',
      'create_function',
    ])
  })

  test('a procedure is dropped as a procedure', () => {
    const proc = m.fn('public', 'tidy', 'days integer', 'CREATE OR REPLACE PROCEDURE public.tidy(days integer)\n LANGUAGE sql\nAS $procedure$select 1$procedure$\n', {
      kind: 'procedure',
      returns: null,
    })
    assert.deepEqual(steps(m.model({ functions: [proc] }), m.model()), [
      ['drop_function', 'pre-data', 'DROP PROCEDURE public.tidy(days integer)'],
    ])
  })
})

describe('diffSchemas: triggers, policies, comments', () => {
  const touch = m.fn('public', 'touch', '', 'CREATE OR REPLACE FUNCTION public.touch() ...', { returns: 'trigger' })
  const trg = (definition: string, enabled: 'O' | 'D' | 'R' | 'A' = 'O') =>
    m.trigger('t_touch', definition, touch.id, { enabled })
  const before = 'CREATE TRIGGER t_touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch()'
  const insert = 'CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch()'
  const withTrigger = (trigger?: ReturnType<typeof trg>) =>
    m.model({ functions: [touch], tables: [T([id], { triggers: trigger ? [trigger] : [], dependsOn: [touch.id] })] })

  test('create_trigger, drop_trigger, a changed one replaced', () => {
    assert.deepEqual(steps(withTrigger(), withTrigger(trg(before))), [['create_trigger', 'post-data', before]])
    assert.deepEqual(steps(withTrigger(trg(before)), withTrigger()), [
      ['drop_trigger', 'pre-data', 'DROP TRIGGER t_touch ON public.t'],
    ])
    assert.deepEqual(steps(withTrigger(trg(before)), withTrigger(trg(insert))).map((s) => s[0]), ['drop_trigger', 'create_trigger'])
  })

  test('enable_trigger (origin, replica, always) and disable_trigger', () => {
    assert.deepEqual(
      (['D', 'R', 'A'] as const).map((state) => steps(withTrigger(trg(before)), withTrigger(trg(before, state)))[0]?.[2]),
      [
        'ALTER TABLE public.t DISABLE TRIGGER t_touch',
        'ALTER TABLE public.t ENABLE REPLICA TRIGGER t_touch',
        'ALTER TABLE public.t ENABLE ALWAYS TRIGGER t_touch',
      ],
    )
    assert.deepEqual(steps(withTrigger(trg(before, 'D')), withTrigger(trg(before))), [
      ['enable_trigger', 'post-data', 'ALTER TABLE public.t ENABLE TRIGGER t_touch'],
    ])
  })

  const withPolicy = (policy?: ReturnType<typeof m.policy>) =>
    withTable(T([id], { policies: policy ? [policy] : [] }))

  test('create_policy, alter_policy, drop_policy, a changed command replaced', () => {
    const own = m.policy('Own Rows', { command: 'SELECT', roles: ['app user', 'public'], using: '(id > 0)' })
    assert.deepEqual(steps(withPolicy(), withPolicy(own)), [
      ['create_policy', 'post-data', 'CREATE POLICY "Own Rows" ON public.t AS PERMISSIVE FOR SELECT TO "app user", PUBLIC USING ((id > 0))'],
    ])
    const narrower = { ...own, roles: ['app user'], using: '(id > 10)' }
    assert.deepEqual(steps(withPolicy(own), withPolicy(narrower)), [
      ['alter_policy', 'post-data', 'ALTER POLICY "Own Rows" ON public.t TO "app user" USING ((id > 10))'],
    ])
    assert.deepEqual(steps(withPolicy(own), withPolicy({ ...own, command: 'UPDATE', withCheck: '(id > 0)', permissive: false })).map((s) => s[2]), [
      'DROP POLICY "Own Rows" ON public.t',
      'CREATE POLICY "Own Rows" ON public.t AS RESTRICTIVE FOR UPDATE TO "app user", PUBLIC USING ((id > 0)) WITH CHECK ((id > 0))',
    ])
    assert.deepEqual(steps(withPolicy(own), withPolicy()), [['drop_policy', 'pre-data', 'DROP POLICY "Own Rows" ON public.t']])
  })

  test('comments on every kind of object, set and removed', () => {
    const rich = m.richModel()
    const commented: SchemaModel = {
      ...rich,
      tables: rich.tables.map((table) => ({
        ...table,
        comment: 'table',
        constraints: table.constraints.map((c) => ({ ...c, comment: 'constraint' })),
        indexes: table.indexes.map((i) => ({ ...i, comment: 'index' })),
        triggers: table.triggers.map((t) => ({ ...t, comment: 'trigger' })),
        policies: table.policies.map((p) => ({ ...p, comment: 'policy' })),
      })),
      functions: rich.functions.map((routine) => ({ ...routine, comment: 'function' })),
      sequences: rich.sequences.map((s) => ({ ...s, comment: 'sequence' })),
      views: rich.views.map((v) => ({ ...v, comment: 'view' })),
      extensions: rich.extensions.map((e) => ({ ...e, comment: 'extension' })),
      collations: rich.collations.map((c) => ({ ...c, comment: 'collation' })),
      types: rich.types.map((t) => ({ ...t, comment: 'type' })),
    }
    const set = steps(rich, commented)
    assert.ok(set.every((step) => step[0] === 'comment_on'))
    assert.deepEqual(
      set.map((step) => step[2]).sort(),
      [
        `COMMENT ON COLLATION sales.nocase IS 'collation'`,
        `COMMENT ON CONSTRAINT "Order Items_pkey" ON sales."Order Items" IS 'constraint'`,
        `COMMENT ON CONSTRAINT customers_favourite_fkey ON sales.customers IS 'constraint'`,
        `COMMENT ON CONSTRAINT customers_pkey ON sales.customers IS 'constraint'`,
        `COMMENT ON CONSTRAINT items_customer_fkey ON sales."Order Items" IS 'constraint'`,
        `COMMENT ON CONSTRAINT positive ON sales."Order Items" IS 'constraint'`,
        `COMMENT ON DOMAIN sales.positive_mood IS 'type'`,
        `COMMENT ON EXTENSION citext IS 'extension'`,
        `COMMENT ON FUNCTION sales.touch() IS 'function'`,
        `COMMENT ON INDEX sales.events_2024_at_idx IS 'index'`,
        `COMMENT ON INDEX sales.events_at IS 'index'`,
        `COMMENT ON INDEX sales.items_customer IS 'index'`,
        `COMMENT ON MATERIALIZED VIEW sales.big IS 'view'`,
        `COMMENT ON POLICY "own rows" ON sales.customers IS 'policy'`,
        `COMMENT ON SEQUENCE sales."Order Items_seq" IS 'sequence'`,
        `COMMENT ON TABLE sales."Order Items" IS 'table'`,
        `COMMENT ON TABLE sales.customers IS 'table'`,
        `COMMENT ON TABLE sales.events IS 'table'`,
        `COMMENT ON TABLE sales.events_2024 IS 'table'`,
        `COMMENT ON TRIGGER touch ON sales."Order Items" IS 'trigger'`,
        `COMMENT ON TYPE sales.floatrange IS 'type'`,
        `COMMENT ON TYPE sales.mood IS 'type'`,
        `COMMENT ON TYPE sales.pair IS 'type'`,
        `COMMENT ON VIEW sales."recent items" IS 'view'`,
      ],
    )
    const removed = steps(commented, rich)
    assert.equal(removed.length, set.length)
    // Back to the rich model's own comments (two of them), else none.
    assert.equal(removed.filter((step) => !step[2].endsWith(' IS NULL')).length, 2)
  })
})

// A renamed object's definition is deparsed from a syntax tree (src/mapping), so the source may
// spell it differently from PostgreSQL's own text in the destination. Only meaning counts.
describe('diffSchemas: definitions spelled differently', () => {
  test('constraints: the same check or key spelled otherwise is kept, a changed one replaced', () => {
    const pkey = (definition: string) => m.constraint('parent_pkey', 'primary_key', definition)
    const fkey = (definition: string) =>
      m.constraint('child_parent_fkey', 'foreign_key', definition, {
        references: 'table:public.parent',
      })
    const tables = (key: string, check: string, foreign: string) =>
      m.model({
        tables: [
          m.table('public', 'parent', [id], { constraints: [pkey(key)] }),
          m.table('public', 'child', [m.column('parent_id', 'integer'), m.column('price', 'numeric')], {
            dependsOn: ['table:public.parent'],
            constraints: [fkey(foreign), m.constraint('positive', 'check', check)],
          }),
        ],
      })
    const pg = tables(
      'PRIMARY KEY (id)',
      'CHECK ((price > (0)::numeric))',
      'FOREIGN KEY (parent_id) REFERENCES public.parent(id)',
    )
    const deparsed = (check: string) =>
      tables('PRIMARY KEY ( id )', check, 'FOREIGN KEY (parent_id) REFERENCES public.parent (id)')
    assert.deepEqual(steps(pg, deparsed('CHECK (price > 0::numeric)')), [])
    assert.deepEqual(steps(pg, deparsed('CHECK (price > 1::numeric)')).map((step) => step[2]), [
      'ALTER TABLE public.child DROP CONSTRAINT positive',
      'ALTER TABLE public.child ADD CONSTRAINT positive CHECK (price > 1::numeric)',
    ])
  })

  test('column defaults and generated expressions', () => {
    const columns = (defaultValue: string, generated: string) =>
      withTable(
        T([
          id,
          m.column('p', 'numeric', { default: defaultValue }),
          m.column('g', 'numeric', { generated }),
        ]),
      )
    const pg = columns('(0)::numeric', '(id * (2)::numeric)')
    assert.deepEqual(steps(pg, columns('0::numeric', 'id * 2::numeric')), [])
    assert.deepEqual(steps(pg, columns('1::numeric', 'id * 3::numeric')).map((step) => step[2]), [
      'ALTER TABLE public.t DROP COLUMN g',
      'ALTER TABLE public.t ALTER COLUMN p SET DEFAULT 1::numeric',
      'ALTER TABLE public.t ADD COLUMN g numeric GENERATED ALWAYS AS (id * 3::numeric) STORED',
    ])
  })

  test('indexes, partial ones included: kept, renamed, or rebuilt when really changed', () => {
    const indexed = (name: string, definition: string) =>
      withTable(
        T([id], {
          indexes: [m.index(name, definition, { columns: ['id'], predicate: '(id > 0)' })],
        }),
      )
    const pg = indexed('t_pos', 'CREATE INDEX t_pos ON public.t USING btree (id) WHERE (id > 0)')
    assert.deepEqual(steps(pg, indexed('t_pos', 'CREATE INDEX t_pos ON public.t (id) WHERE id > 0')), [])
    const renamed = indexed('t_positive', 'CREATE INDEX t_positive ON public.t (id) WHERE id > 0')
    assert.deepEqual(steps(pg, renamed), [
      ['rename_index', 'pre-data', 'ALTER INDEX public.t_pos RENAME TO t_positive'],
    ])
    const changed = indexed('t_pos', 'CREATE INDEX t_pos ON public.t (id) WHERE id > 1')
    assert.deepEqual(steps(pg, changed).map((step) => step[0]), ['drop_index', 'create_index'])
  })

  test('views and functions are statements', () => {
    const source = m.table('public', 't', [id])
    const viewOf = (definition: string) =>
      withTable(source, {
        views: [
          m.view('public', 'v', definition, [{ name: 'id', type: 'integer' }], {
            dependsOn: [source.id],
          }),
        ],
      })
    const pg = viewOf(' SELECT t.id\n   FROM public.t\n  WHERE (t.id > 0);')
    assert.deepEqual(steps(pg, viewOf('SELECT t.id FROM public.t WHERE t.id > 0')), [])
    assert.deepEqual(
      steps(pg, viewOf('SELECT t.id FROM public.t WHERE t.id > 1')).map((step) => step[0]),
      ['replace_view'],
    )
    const f = (definition: string) =>
      m.model({ functions: [m.fn('public', 'answer', '', definition)] })
    const answer = f(
      'CREATE OR REPLACE FUNCTION public.answer()\n RETURNS integer\n LANGUAGE sql\n' +
        'AS $function$select 42$function$\n',
    )
    const deparsed = (body: string) =>
      f(`CREATE OR REPLACE FUNCTION public.answer() RETURNS int LANGUAGE sql AS $$${body}$$`)
    assert.deepEqual(steps(answer, deparsed('select 42')), [])
    assert.deepEqual(steps(answer, deparsed('select 43')).map((step) => step[0]), [
      'replace_function',
    ])
  })

  test('triggers and policies', () => {
    const touch = m.fn('public', 'touch', '', 'CREATE OR REPLACE FUNCTION public.touch() ...', {
      returns: 'trigger',
    })
    const table = (event: string, call: string, using: string) =>
      m.model({
        functions: [touch],
        tables: [
          T([id], {
            dependsOn: [touch.id],
            triggers: [
              m.trigger(
                't_touch',
                `CREATE TRIGGER t_touch ${event} ON public.t FOR EACH ROW EXECUTE FUNCTION ${call}`,
                touch.id,
              ),
            ],
            policies: [m.policy('own', { using })],
          }),
        ],
      })
    const pg = table('BEFORE UPDATE', 'public.touch()', '(id > 0)')
    assert.deepEqual(steps(pg, table('BEFORE UPDATE', 'public.touch ()', 'id > 0')), [])
    assert.deepEqual(
      steps(pg, table('BEFORE INSERT', 'public.touch ()', 'id > 1')).map((step) => step[2]),
      [
        'DROP TRIGGER t_touch ON public.t',
        'CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch ()',
        'ALTER POLICY own ON public.t USING (id > 1)',
      ],
    )
  })

  test('partition keys and domains', () => {
    const events = (partitionKey: string) =>
      withTable(
        m.table('public', 'events', [m.column('ref', 'text')], { kind: 'partitioned', partitionKey }),
      )
    assert.deepEqual(steps(events('RANGE (lower(ref))'), events('RANGE ((lower(ref)))')), [])
    assert.deepEqual(
      steps(events('RANGE (lower(ref))'), events('RANGE ((upper(ref)))')).map((step) => step[0]),
      ['drop_table', 'create_table'],
    )
    const amount = (check: string, defaultValue: string) =>
      m.model({
        types: [
          m.domainType('public', 'amount', 'numeric', {
            default: defaultValue,
            constraints: [{ name: 'positive', definition: check, validated: true }],
          }),
        ],
      })
    const pg = amount('CHECK ((VALUE > (0)::numeric))', '(0)::numeric')
    assert.deepEqual(steps(pg, amount('CHECK (VALUE > 0::numeric)', '0::numeric')), [])
    assert.deepEqual(
      steps(pg, amount('CHECK (VALUE > 1::numeric)', '1::numeric')).map((step) => step[2]),
      [
        'ALTER DOMAIN public.amount DROP CONSTRAINT positive',
        'ALTER DOMAIN public.amount SET DEFAULT 1::numeric',
        'ALTER DOMAIN public.amount ADD CONSTRAINT positive CHECK (VALUE > 1::numeric)',
      ],
    )
  })
})
