import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SchemaModel, TableDef } from '../model/schema-model.js'
import { renderOperation } from '../sql/render-operation.js'
import { diffSchemas } from './diff-schemas.js'
import type { DiffOptions } from './diff-options.js'
import * as m from '../model/test-models.js'

const id = m.column('id', 'integer', { notNull: true })
const T = (extra: Partial<TableDef> = {}, columns = [id]): TableDef => m.table('public', 't', columns, extra)
const only = (table: TableDef): SchemaModel => m.model({ tables: [table] })

/** [kind, phase, SQL, transactional, lockTimeoutMs] of each operation. */
function plan(from: SchemaModel, to: SchemaModel, options: DiffOptions = { lockAware: true }) {
  return diffSchemas(from, to, options).map((op) => [
    op.kind,
    op.phase,
    renderOperation(op)[0]?.sql,
    op.transactional,
    op.lockTimeoutMs,
  ])
}

describe('lock-aware diff', () => {
  test('indexes are built and dropped CONCURRENTLY, outside transactions, under a lock_timeout', () => {
    const a = m.index('t_a', 'CREATE INDEX t_a ON public.t USING btree (id)')
    const b = m.index('t_b', 'CREATE UNIQUE INDEX t_b ON public.t USING btree (id DESC)')
    assert.deepEqual(plan(only(T({ indexes: [a] })), only(T({ indexes: [b] }))), [
      ['drop_index', 'pre-data', 'DROP INDEX CONCURRENTLY public.t_a', false, 5000],
      ['create_index', 'post-data', 'CREATE UNIQUE INDEX CONCURRENTLY t_b ON public.t USING btree (id DESC)', false, 5000],
    ])
    const ops = diffSchemas(only(T({ indexes: [a] })), only(T({ indexes: [b] })), { lockAware: true })
    assert.ok(ops.every((op) => op.hazards.length === 0 && op.note?.includes('CONCURRENTLY')))
  })

  test('a new table gets none of it: it is empty until the copy', () => {
    const a = m.index('t_a', 'CREATE INDEX t_a ON public.t USING btree (id)')
    const check = m.constraint('t_positive', 'check', 'CHECK ((id > 0))')
    assert.deepEqual(plan(m.model(), only(T({ indexes: [a], constraints: [check] }))), [
      ['create_table', 'pre-data', 'CREATE TABLE public.t (\n    id integer NOT NULL\n)', true, null],
      ['add_constraint', 'pre-data', 'ALTER TABLE public.t ADD CONSTRAINT t_positive CHECK ((id > 0))', true, null],
      ['create_index', 'post-data', 'CREATE INDEX t_a ON public.t USING btree (id)', true, null],
    ])
  })

  test('CHECK and foreign keys are added NOT VALID, then validated by a separate operation', () => {
    const parent = m.table('public', 'parent', [id], { constraints: [m.constraint('parent_pkey', 'primary_key', 'PRIMARY KEY (id)')] })
    const fk = m.constraint('t_parent', 'foreign_key', 'FOREIGN KEY (id) REFERENCES public.parent(id)', {
      references: parent.id,
    })
    const check = m.constraint('t_positive', 'check', 'CHECK ((id > 0))')
    const before = m.model({ tables: [parent, T()] })
    const after = m.model({ tables: [parent, T({ constraints: [check, fk] })] })
    assert.deepEqual(plan(before, after, { lockAware: true, lockTimeoutMs: 1500 }), [
      ['add_constraint', 'pre-data', 'ALTER TABLE public.t ADD CONSTRAINT t_positive CHECK ((id > 0)) NOT VALID', true, 1500],
      ['validate_constraint', 'post-data', 'ALTER TABLE public.t VALIDATE CONSTRAINT t_positive', true, 1500],
      ['add_constraint', 'post-data', 'ALTER TABLE public.t ADD CONSTRAINT t_parent FOREIGN KEY (id) REFERENCES public.parent(id) NOT VALID', true, 1500],
      ['validate_constraint', 'post-data', 'ALTER TABLE public.t VALIDATE CONSTRAINT t_parent', true, 1500],
    ])
  })

  test('primary keys and unique constraints come from a concurrently built index', () => {
    const pk = m.constraint('t_pkey', 'primary_key', 'PRIMARY KEY (id)')
    const unique = m.constraint('t_code_key', 'unique', 'UNIQUE (id, "Code")')
    const columns = [id, m.column('Code', 'text')]
    assert.deepEqual(plan(only(T({}, columns)), only(T({ constraints: [pk, unique] }, columns))), [
      ['create_constraint_index', 'post-data', 'CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON public.t (id)', false, 5000],
      ['add_constraint', 'post-data', 'ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey', true, 5000],
      ['create_constraint_index', 'post-data', 'CREATE UNIQUE INDEX CONCURRENTLY t_code_key ON public.t (id, "Code")', false, 5000],
      ['add_constraint', 'post-data', 'ALTER TABLE public.t ADD CONSTRAINT t_code_key UNIQUE USING INDEX t_code_key', true, 5000],
    ])
  })

  test('SET NOT NULL goes through a validated CHECK', () => {
    const nullable = m.column('n', 'integer')
    const notNull = m.column('n', 'integer', { notNull: true })
    assert.deepEqual(plan(only(T({}, [id, nullable])), only(T({}, [id, notNull]))), [
      ['add_not_null_check', 'pre-data', 'ALTER TABLE public.t ADD CONSTRAINT n_not_null_pgshift CHECK (n IS NOT NULL) NOT VALID', true, 5000],
      ['validate_constraint', 'pre-data', 'ALTER TABLE public.t VALIDATE CONSTRAINT n_not_null_pgshift', true, 5000],
      ['alter_column_set_not_null', 'pre-data', 'ALTER TABLE public.t ALTER COLUMN n SET NOT NULL', true, 5000],
      ['drop_constraint', 'pre-data', 'ALTER TABLE public.t DROP CONSTRAINT n_not_null_pgshift', true, 5000],
    ])
  })

  test('without lockAware the same changes are plain and flagged as locking', () => {
    const pk = m.constraint('t_pkey', 'primary_key', 'PRIMARY KEY (id)')
    const ops = diffSchemas(only(T()), only(T({ constraints: [pk] })))
    assert.deepEqual(
      ops.map((op) => [op.kind, op.transactional, op.lockTimeoutMs, op.hazards.map((hazard) => hazard.code)]),
      [['add_constraint', true, null, ['locks']]],
    )
  })

  test('an explicit lockTimeoutMs applies without lockAware too', () => {
    const ops = diffSchemas(only(T({}, [id])), only(T({}, [id, m.column('x', 'text')])), { lockTimeoutMs: 250 })
    assert.deepEqual(ops.map((op) => op.lockTimeoutMs), [250])
  })
})
