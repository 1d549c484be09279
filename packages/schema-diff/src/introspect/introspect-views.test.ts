import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createTestDatabase } from '../../../../test/support/test-databases.js'
import { execSql, introspectUrl, viewOf } from './introspect-test-helpers.js'

/**
 * pg_get_viewdef qualifies the columns of a single-table view with the table's name before
 * PostgreSQL 16, and no longer from 16 on: the same view prints differently per major.
 */
function qualifyColumns(serverVersion: number, definition: string, qualifier: string): string {
  return serverVersion >= 160000 ? definition.replaceAll(qualifier, '') : definition
}

describe('introspect views', () => {
  test('view on view on table, with options, column comments and dependency chains', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TYPE mood AS ENUM ('sad', 'happy');
      CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(t) $$;
      CREATE TABLE people (id integer PRIMARY KEY, name varchar(40) NOT NULL, feeling mood);
      CREATE VIEW loud_people WITH (security_barrier = true) AS
        SELECT id, shout(name) AS "Loud Name", feeling FROM people WHERE id > 0;
      CREATE VIEW happy_loud AS SELECT id, "Loud Name" FROM loud_people WHERE feeling = 'happy'
        WITH LOCAL CHECK OPTION;
      COMMENT ON VIEW happy_loud IS 'the happy ones';
      COMMENT ON COLUMN happy_loud."Loud Name" IS 'shouted';
      `,
    )
    const model = await introspectUrl(database.url)
    assert.deepEqual(viewOf(model, 'view:public.loud_people'), {
      id: 'view:public.loud_people',
      schema: 'public',
      name: 'loud_people',
      comment: null,
      kind: 'view',
      definition: qualifyColumns(
        model.serverVersion,
        ' SELECT people.id,\n    public.shout(people.name::text) AS "Loud Name",\n    people.feeling\n   FROM public.people\n  WHERE people.id > 0;',
        'people.',
      ),
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'Loud Name', type: 'text' },
        { name: 'feeling', type: 'public.mood' },
      ],
      options: ['security_barrier=true'],
      indexes: [],
      triggers: [],
      columnComments: {},
      dependsOn: ['function:public.shout(t text)', 'schema:public', 'table:public.people', 'type:public.mood'],
    })
    const happy = viewOf(model, 'view:public.happy_loud')
    assert.deepEqual(happy.options, ['check_option=local'])
    assert.equal(happy.comment, 'the happy ones')
    assert.deepEqual(happy.columnComments, { 'Loud Name': 'shouted' })
    // the enum comparison makes it depend on the type as well
    assert.deepEqual(happy.dependsOn, ['schema:public', 'type:public.mood', 'view:public.loud_people'])
  })

  test('materialized view with an index, and a view with an INSTEAD OF trigger', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TABLE sales (id integer PRIMARY KEY, region text, amount numeric(12,2));
      CREATE MATERIALIZED VIEW sales_by_region WITH (fillfactor = 80) AS
        SELECT region, sum(amount) AS total FROM sales GROUP BY region WITH NO DATA;
      CREATE UNIQUE INDEX sales_by_region_region ON sales_by_region (region);
      COMMENT ON MATERIALIZED VIEW sales_by_region IS 'totals';
      CREATE VIEW sales_view AS SELECT * FROM sales;
      CREATE FUNCTION sales_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO sales VALUES (NEW.*); RETURN NEW; END $$;
      CREATE TRIGGER sales_view_insert INSTEAD OF INSERT ON sales_view
        FOR EACH ROW EXECUTE FUNCTION sales_view_insert();
      `,
    )
    const model = await introspectUrl(database.url)
    assert.deepEqual(viewOf(model, 'view:public.sales_by_region'), {
      id: 'view:public.sales_by_region',
      schema: 'public',
      name: 'sales_by_region',
      comment: 'totals',
      kind: 'materialized',
      definition: qualifyColumns(
        model.serverVersion,
        ' SELECT sales.region,\n    sum(sales.amount) AS total\n   FROM public.sales\n  GROUP BY sales.region;',
        'sales.',
      ),
      columns: [
        { name: 'region', type: 'text' },
        { name: 'total', type: 'numeric' },
      ],
      options: ['fillfactor=80'],
      indexes: [
        {
          name: 'sales_by_region_region',
          definition: 'CREATE UNIQUE INDEX sales_by_region_region ON public.sales_by_region USING btree (region)',
          unique: true,
          columns: ['region'],
          keyCount: 1,
          method: 'btree',
          predicate: null,
          hasExpressions: false,
          valid: true,
          parentIndex: null,
          comment: null,
        },
      ],
      triggers: [],
      columnComments: {},
      dependsOn: ['schema:public', 'table:public.sales'],
    })
    assert.deepEqual(viewOf(model, 'view:public.sales_view').triggers, [
      {
        name: 'sales_view_insert',
        definition:
          'CREATE TRIGGER sales_view_insert INSTEAD OF INSERT ON public.sales_view FOR EACH ROW EXECUTE FUNCTION public.sales_view_insert()',
        enabled: 'O',
        isConstraint: false,
        function: 'function:public.sales_view_insert()',
        comment: null,
      },
    ])
    // the trigger's function is named by the trigger, not added to the view's dependencies
    assert.deepEqual(viewOf(model, 'view:public.sales_view').dependsOn, ['schema:public', 'table:public.sales'])
  })
})
