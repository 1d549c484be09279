import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createTestDatabase } from '../../../../test/support/test-databases.js'
import type { IndexDef } from '../model/schema-model.js'
import { execSql, introspectUrl, tableOf } from './introspect-test-helpers.js'

function index(name: string, definition: string, fields: Partial<IndexDef> = {}): IndexDef {
  return {
    name,
    definition,
    unique: false,
    columns: [],
    keyCount: 1,
    method: 'btree',
    predicate: null,
    hasExpressions: false,
    valid: true,
    parentIndex: null,
    comment: null,
    ...fields,
  }
}

describe('introspect constraints and indexes', () => {
  test('every constraint kind, deferrable FK with actions, NOT VALID check, exclusion', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TABLE customers (
        id bigint PRIMARY KEY,
        email text NOT NULL,
        CONSTRAINT customers_email_key UNIQUE (email) DEFERRABLE INITIALLY DEFERRED
      );
      CREATE TABLE orders (
        id bigint NOT NULL,
        customer_id bigint,
        placed tstzrange,
        qty integer,
        note text,
        CONSTRAINT orders_pkey PRIMARY KEY (id) INCLUDE (qty),
        CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)
          ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT no_overlap EXCLUDE USING gist (placed WITH &&),
        CONSTRAINT "Lower Note" EXCLUDE USING btree (lower(note) WITH =)
      );
      ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;
      COMMENT ON CONSTRAINT qty_positive ON orders IS 'positive quantities';
      `,
    )
    const model = await introspectUrl(database.url)
    const orders = tableOf(model, 'table:public.orders')
    assert.deepEqual(orders.constraints, [
      {
        name: 'Lower Note',
        kind: 'exclusion',
        definition: 'EXCLUDE USING btree (lower(note) WITH =)',
        // expressions have no column
        columns: [],
        references: null,
        deferrable: false,
        initiallyDeferred: false,
        validated: true,
        comment: null,
      },
      {
        name: 'no_overlap',
        kind: 'exclusion',
        definition: 'EXCLUDE USING gist (placed WITH &&)',
        columns: ['placed'],
        references: null,
        deferrable: false,
        initiallyDeferred: false,
        validated: true,
        comment: null,
      },
      {
        name: 'orders_customer_fkey',
        kind: 'foreign_key',
        definition:
          'FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON UPDATE SET NULL ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED',
        columns: ['customer_id'],
        references: 'table:public.customers',
        deferrable: true,
        initiallyDeferred: true,
        validated: true,
        comment: null,
      },
      {
        name: 'orders_pkey',
        kind: 'primary_key',
        definition: 'PRIMARY KEY (id) INCLUDE (qty)',
        columns: ['id'],
        references: null,
        deferrable: false,
        initiallyDeferred: false,
        validated: true,
        comment: null,
      },
      {
        name: 'qty_positive',
        kind: 'check',
        definition: 'CHECK ((qty > 0)) NOT VALID',
        columns: ['qty'],
        references: null,
        deferrable: false,
        initiallyDeferred: false,
        validated: false,
        comment: 'positive quantities',
      },
    ])
    // the indexes behind the primary key and the exclusion constraints are the constraints'
    assert.deepEqual(orders.indexes, [])
    assert.deepEqual(orders.dependsOn, ['schema:public', 'table:public.customers'])
    assert.deepEqual(tableOf(model, 'table:public.customers').constraints.map((c) => [c.name, c.definition]), [
      ['customers_email_key', 'UNIQUE (email) DEFERRABLE INITIALLY DEFERRED'],
      ['customers_pkey', 'PRIMARY KEY (id)'],
    ])
  })

  test('partial, expression, INCLUDE, sort order, opclass and collation indexes', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TABLE items (id bigint PRIMARY KEY, qty integer, note text, "Tag" text);
      CREATE INDEX items_note_partial ON items (note) WHERE qty > 10;
      CREATE UNIQUE INDEX items_lower_note ON items (lower(note));
      CREATE INDEX items_covering ON items (qty) INCLUDE (note, "Tag");
      CREATE INDEX items_order ON items (qty DESC NULLS FIRST, note NULLS FIRST, id DESC NULLS LAST);
      CREATE INDEX items_pattern ON items (note text_pattern_ops);
      CREATE INDEX items_collated ON items (note COLLATE "C");
      CREATE INDEX items_hash ON items USING hash (note);
      CREATE INDEX "Items Mixed" ON items ("Tag", lower("Tag"), qty);
      COMMENT ON INDEX items_covering IS 'covering';
      `,
    )
    const items = tableOf(await introspectUrl(database.url), 'table:public.items')
    assert.deepEqual(items.indexes, [
      index('Items Mixed', 'CREATE INDEX "Items Mixed" ON public.items USING btree ("Tag", lower("Tag"), qty)', {
        columns: ['Tag', null, 'qty'],
        keyCount: 3,
        hasExpressions: true,
        valid: true,
      }),
      index('items_collated', 'CREATE INDEX items_collated ON public.items USING btree (note COLLATE "C")', {
        columns: ['note'],
      }),
      index('items_covering', 'CREATE INDEX items_covering ON public.items USING btree (qty) INCLUDE (note, "Tag")', {
        columns: ['qty', 'note', 'Tag'],
        comment: 'covering',
      }),
      index('items_hash', 'CREATE INDEX items_hash ON public.items USING hash (note)', {
        columns: ['note'],
        method: 'hash',
      }),
      index('items_lower_note', 'CREATE UNIQUE INDEX items_lower_note ON public.items USING btree (lower(note))', {
        unique: true,
        columns: [null],
        hasExpressions: true,
        valid: true,
      }),
      index(
        'items_note_partial',
        'CREATE INDEX items_note_partial ON public.items USING btree (note) WHERE (qty > 10)',
        { columns: ['note'], predicate: '(qty > 10)' },
      ),
      index(
        'items_order',
        'CREATE INDEX items_order ON public.items USING btree (qty DESC, note NULLS FIRST, id DESC NULLS LAST)',
        { columns: ['qty', 'note', 'id'], keyCount: 3 },
      ),
      index('items_pattern', 'CREATE INDEX items_pattern ON public.items USING btree (note text_pattern_ops)', {
        columns: ['note'],
      }),
    ])
  })

  test('foreign key cycles, self references and references out of the selection', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE SCHEMA elsewhere;
      CREATE TABLE elsewhere.countries (code text PRIMARY KEY);
      CREATE TABLE a (id integer PRIMARY KEY, b_id integer);
      CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a);
      ALTER TABLE a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES b;
      CREATE TABLE tree (id integer PRIMARY KEY, parent integer REFERENCES tree, country text REFERENCES elsewhere.countries);
      `,
    )
    const model = await introspectUrl(database.url, { schemas: ['public'] })
    // both directions are there: the diff adds foreign keys after the tables (ConstraintDef.references)
    assert.deepEqual(tableOf(model, 'table:public.a').dependsOn, ['schema:public', 'table:public.b'])
    assert.deepEqual(tableOf(model, 'table:public.b').dependsOn, ['schema:public', 'table:public.a'])
    const tree = tableOf(model, 'table:public.tree')
    assert.deepEqual(tree.dependsOn, ['schema:public'])
    assert.deepEqual(
      tree.constraints.filter((c) => c.kind === 'foreign_key').map((c) => [c.name, c.references]),
      [
        ['tree_country_fkey', 'table:elsewhere.countries'],
        ['tree_parent_fkey', 'table:public.tree'],
      ],
    )
  })

  test('a foreign key to a partitioned table keeps one constraint, not its per-partition clones', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TABLE parts (id integer PRIMARY KEY) PARTITION BY LIST (id);
      CREATE TABLE parts_1 PARTITION OF parts FOR VALUES IN (1, 2);
      CREATE TABLE refs (id integer PRIMARY KEY, part_id integer REFERENCES parts);
      CREATE TABLE sharded (id integer, part_id integer REFERENCES parts, PRIMARY KEY (id)) PARTITION BY RANGE (id);
      CREATE TABLE sharded_1 PARTITION OF sharded FOR VALUES FROM (0) TO (100);
      `,
    )
    const model = await introspectUrl(database.url)
    assert.deepEqual(tableOf(model, 'table:public.refs').constraints.map((c) => c.name), ['refs_part_id_fkey', 'refs_pkey'])
    assert.deepEqual(tableOf(model, 'table:public.sharded_1').constraints, [])
    assert.deepEqual(tableOf(model, 'table:public.sharded').constraints.map((c) => c.name), [
      'sharded_part_id_fkey',
      'sharded_pkey',
    ])
  })
})
