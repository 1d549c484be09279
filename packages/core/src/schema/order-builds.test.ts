import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Operation } from '@pgshift/schema-diff'
import { orderBuilds, referencedTable } from './order-builds.js'

const table = (name: string) => ({ schema: 'public', name })
const id = (name: string) => `table:public.${name}`

// the fields orderBuilds reads; the rest of an operation does not matter to it
function op(kind: string, tableName: string, fields: Record<string, unknown>): Operation {
  return { kind, id: id(tableName), phase: 'post-data', transactional: true, ...fields } as unknown as Operation
}
const key = (t: string, name: string) =>
  op('add_constraint', t, { table: table(t), name, constraintKind: 'primary_key', usingIndex: null, definition: 'PRIMARY KEY (id)' })
const index = (t: string, name: string, concurrently = false) => op('create_index', t, { index: table(name), concurrently })
const attach = (t: string, parent: string, child: string) =>
  op('attach_index', t, { parentIndex: table(parent), index: table(child) })
const foreignKey = (t: string, name: string, references: string) =>
  op('add_constraint', t, {
    table: table(t),
    name,
    constraintKind: 'foreign_key',
    usingIndex: null,
    definition: `FOREIGN KEY (ref) REFERENCES ${references}(id) ON DELETE CASCADE`,
  })

function order(operations: Operation[], groupOf = (value: string) => value, bytes: Record<string, number> = {}) {
  const { nodes, byPriority } = orderBuilds(operations, (operation) => operation, groupOf, new Map(Object.entries(bytes)))
  const name = (operation: Operation) => {
    if (operation.kind === 'attach_index') return `attach ${operation.index.name}`
    return 'name' in operation ? operation.name : 'index' in operation ? operation.index.name : operation.kind
  }
  const waits = Object.fromEntries(
    nodes.map((node) => [name(node.operation), node.barrier > 0 ? ['(all before)'] : node.after.map((earlier) => name(earlier.operation))]),
  )
  return { waits, priority: byPriority.map((node) => name(node.operation)) }
}

describe('orderBuilds', () => {
  test("a table's plain indexes wait for its key only; a key or CONCURRENTLY build for all before it in its table", () => {
    const { waits } = order([key('t', 't_pkey'), index('t', 't_a'), index('t', 't_b'), index('t', 't_c', true), index('t', 't_d')])
    assert.deepEqual(waits, { t_pkey: [], t_a: ['t_pkey'], t_b: ['t_pkey'], t_c: ['t_pkey', 't_a', 't_b'], t_d: ['t_pkey', 't_c'] })
  })

  test('an attach waits for its two indexes whatever the grouping; later partition indexes do not wait for it', () => {
    const { waits } = order([index('p', 'p_k'), index('p_1', 'p_1_k'), attach('p_1', 'p_k', 'p_1_k'), index('p_2', 'p_2_k'), attach('p_2', 'p_k', 'p_2_k')])
    assert.deepEqual(waits, { p_k: [], p_1_k: [], 'attach p_1_k': ['p_1_k', 'p_k'], p_2_k: [], 'attach p_2_k': ['p_2_k', 'p_k'] })
    const tree = order(
      [index('p', 'p_k'), index('p_1', 'p_1_k'), attach('p_1', 'p_k', 'p_1_k'), index('p_2', 'p_2_k')],
      (value) => value.replace(/_\d+$/, ''),
    )
    assert.deepEqual(tree.waits['p_2_k'], [], 'a partition index of the tree does not wait for an attach')
  })

  test('a foreign key waits for its table and the referenced one, which starts as early as the referencing table', () => {
    const { waits, priority } = order(
      [key('big', 'big_pkey'), key('other', 'other_pkey'), key('small', 'small_pkey'), foreignKey('big', 'big_small_fkey', 'public.small')],
      undefined,
      { [id('big')]: 1000, [id('other')]: 500, [id('small')]: 1 },
    )
    assert.deepEqual(waits['big_small_fkey'], ['big_pkey', 'small_pkey'])
    assert.deepEqual(priority, ['big_pkey', 'small_pkey', 'big_small_fkey', 'other_pkey'])
  })

  test('a foreign key whose referenced table cannot be read waits for everything before it', () => {
    const { waits } = order([key('a', 'a_pkey'), key('b', 'b_pkey'), foreignKey('a', 'a_fkey', 'b')])
    assert.deepEqual(waits['a_fkey'], ['(all before)'])
  })
})

describe('referencedTable', () => {
  test('reads the schema-qualified table of a foreign key definition, quoted names included', () => {
    assert.equal(referencedTable('FOREIGN KEY (bid) REFERENCES public.pgbench_branches(bid)'), 'table:public.pgbench_branches')
    assert.equal(
      referencedTable('FOREIGN KEY (a, b) REFERENCES "Sales"."Order ""x"""(a, b) MATCH FULL ON DELETE CASCADE'),
      'table:"Sales"."Order ""x"""',
    )
    assert.equal(referencedTable('FOREIGN KEY (a) REFERENCES orders(id)'), null, 'unqualified: unknown')
  })
})
