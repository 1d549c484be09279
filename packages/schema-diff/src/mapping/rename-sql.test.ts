import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { column, model as buildModel, table } from '../model/test-models.js'
import { NameRenamer } from './name-renamer.js'
import {
  renameConstraintDefinition,
  renameExpression,
  renameFunctionDefinition,
  renameIndexDefinition,
  renamePartitionKey,
  renameTriggerDefinition,
  renameViewDefinition,
} from './rename-sql.js'
import { renameTypeText } from './rename-type-text.js'
import { sameDefinition } from './same-definition.js'
import { loadSqlParser } from './sql-parser.js'

const model = buildModel({
  tables: [
    table('sales', 'orders', columns('id', 'customer_id', 'amount', 'internal_note', 'ref')),
    table('sales', 'customers', columns('id', 'name')),
    // a table named like the schema, to prove qualifiers are read from the tree, not the text
    table('sales', 'sales', columns('id', 'amount')),
  ],
})

function columns(...names: string[]) {
  return names.map((name) => column(name, 'integer'))
}

const renamer = new NameRenamer(model, {
  schemas: { sales: 'sales_eu' },
  tables: [
    {
      schema: 'sales',
      name: 'orders',
      rename: 'orders_archive',
      excludeColumns: ['internal_note'],
      renameColumns: { amount: 'total_amount' },
    },
    { schema: 'sales', name: 'customers', renameColumns: { id: 'customer_key' } },
  ],
})
const orders = renamer.resolve('sales', 'orders')
const customers = renamer.resolve('sales', 'customers')

describe('renaming inside definitions', () => {
  before(loadSqlParser)

  test('index: table, schema, key and INCLUDE columns, expressions and predicate', () => {
    const renamed = renameIndexDefinition(
      'CREATE UNIQUE INDEX orders_ref ON sales.orders USING btree (lower(ref) text_pattern_ops DESC, amount) INCLUDE (customer_id) WHERE (amount > (0)::numeric)',
      renamer,
    )
    assert.equal(renamed.changed, true)
    assert.deepEqual(renamed.excludedColumns, [])
    assert.ok(
      sameDefinition(
        renamed.sql,
        'CREATE UNIQUE INDEX orders_ref ON sales_eu.orders_archive USING btree (lower(ref) text_pattern_ops DESC, total_amount) INCLUDE (customer_id) WHERE (total_amount > (0)::numeric)',
        'statement',
      ),
      renamed.sql,
    )
  })

  test('an index on an excluded column reports it', () => {
    const renamed = renameIndexDefinition(
      'CREATE INDEX n ON sales.orders USING btree (internal_note)',
      renamer,
    )
    assert.deepEqual(renamed.excludedColumns, ['internal_note'])
  })

  test('foreign key: local and referenced columns and the referenced table', () => {
    const renamed = renameConstraintDefinition(
      'FOREIGN KEY (customer_id) REFERENCES sales.customers(id) ON DELETE CASCADE DEFERRABLE',
      orders,
      renamer,
    )
    assert.ok(
      sameDefinition(
        renamed.sql,
        'FOREIGN KEY (customer_id) REFERENCES sales_eu.customers(customer_key) ON DELETE CASCADE DEFERRABLE',
        'constraint',
      ),
      renamed.sql,
    )
  })

  test('check constraint columns; an untouched definition keeps its exact text', () => {
    const check = renameConstraintDefinition('CHECK ((amount > (0)::numeric))', orders, renamer)
    assert.ok(sameDefinition(check.sql, 'CHECK ((total_amount > (0)::numeric))', 'constraint'))
    const untouched = renameConstraintDefinition('CHECK ((ref <> \'amount\'::text))', orders, renamer)
    assert.equal(untouched.changed, false)
    assert.equal(untouched.sql, "CHECK ((ref <> 'amount'::text))")
  })

  test('a deparser that would drop part of a definition is refused, not trusted', () => {
    // pgsql-deparser 18.3 prints PRIMARY KEY (...) without its INCLUDE list
    assert.throws(
      () => renameConstraintDefinition('PRIMARY KEY (id, amount) INCLUDE (ref)', orders, renamer),
      /cannot be printed back/,
    )
  })

  test('view: aliases, unaliased qualifiers, joins, subqueries; output names kept', () => {
    const renamed = renameViewDefinition(
      ` SELECT o.id,
    o.amount,
    c.name,
    ( SELECT max(s.amount) AS max
           FROM sales.sales s) AS top
   FROM (sales.orders o
     JOIN sales.customers c ON ((c.id = o.customer_id)))
  WHERE (o.amount > (0)::numeric);`,
      renamer,
    )
    assert.deepEqual(renamed.excludedColumns, [])
    assert.ok(
      sameDefinition(
        renamed.sql,
        `SELECT o.id, o.total_amount AS amount, c.name,
           (SELECT max(s.amount) AS max FROM sales_eu.sales s) AS top
         FROM sales_eu.orders_archive o JOIN sales_eu.customers c ON c.customer_key = o.customer_id
         WHERE o.total_amount > 0::numeric`,
        'statement',
      ),
      renamed.sql,
    )
    const unaliased = renameViewDefinition(
      ' SELECT orders.amount,\n    orders.internal_note\n   FROM sales.orders;',
      renamer,
    )
    assert.deepEqual(unaliased.excludedColumns, ['internal_note'])
    assert.match(unaliased.sql, /orders_archive\.total_amount AS amount/)
  })

  test('trigger: table, UPDATE OF columns, WHEN with NEW/OLD, function schema', () => {
    const renamed = renameTriggerDefinition(
      'CREATE TRIGGER t BEFORE UPDATE OF amount ON sales.orders FOR EACH ROW WHEN ((new.amount <> old.amount)) EXECUTE FUNCTION sales.audit()',
      renamer,
    )
    assert.ok(
      sameDefinition(
        renamed.sql,
        'CREATE TRIGGER t BEFORE UPDATE OF total_amount ON sales_eu.orders_archive FOR EACH ROW WHEN ((new.total_amount <> old.total_amount)) EXECUTE FUNCTION sales_eu.audit()',
        'statement',
      ),
      renamed.sql,
    )
  })

  test('defaults: a sequence named in a regclass literal follows its schema', () => {
    const renamed = renameExpression("nextval('sales.orders_id_seq'::regclass)", orders, renamer)
    assert.ok(sameDefinition(renamed.sql, "nextval('sales_eu.orders_id_seq'::regclass)", 'expression'))
  })

  test('partition keys', () => {
    const renamed = renamePartitionKey('RANGE (amount, lower(ref))', orders, renamer)
    assert.ok(sameDefinition(renamed.sql, 'RANGE (total_amount, lower(ref))', 'partition-key'), renamed.sql)
  })

  test('type text keeps PostgreSQL spelling and renames schemas and row types', () => {
    assert.equal(renameTypeText('a sales.mood, b integer', renamer), 'a sales_eu.mood, b integer')
    assert.equal(renameTypeText('sales.orders[]', renamer), 'sales_eu.orders_archive[]')
    assert.equal(renameTypeText('character varying(20)', renamer), 'character varying(20)')
    assert.equal(renameTypeText('"sales".x', renamer), 'sales_eu.x')
  })

  test('function signatures', () => {
    const renamed = renameFunctionDefinition(
      "CREATE OR REPLACE FUNCTION sales.total(c sales.customers)\n RETURNS numeric\n LANGUAGE sql\n STABLE\nAS $function$ select 1::numeric $function$\n",
      renamer,
    )
    assert.ok(renamed.changed)
    assert.match(renamed.sql, /FUNCTION sales_eu\.total\(c sales_eu\.customers\)/)
  })

  test('customers table is found for unaliased column refs in single-table scope', () => {
    const renamed = renameExpression('(id > 0)', customers, renamer)
    assert.ok(sameDefinition(renamed.sql, '(customer_key > 0)', 'expression'))
  })
})
