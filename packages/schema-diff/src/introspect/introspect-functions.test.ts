import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createTestDatabase } from '../../../../test/support/test-databases.js'
import { byId, execSql, introspectUrl, tableOf } from './introspect-test-helpers.js'

describe('introspect functions, triggers and policies', () => {
  test('overloads, a procedure, an aggregate, signatures using types', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TYPE mood AS ENUM ('sad', 'happy');
      CREATE TABLE people (id integer PRIMARY KEY, feeling mood);
      CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
      CREATE FUNCTION add(a text, b text DEFAULT '') RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT a || b';
      COMMENT ON FUNCTION add(text, text) IS 'concatenates';
      CREATE FUNCTION moods_of(p people, OUT m mood[]) LANGUAGE sql AS 'SELECT ARRAY[p.feeling]';
      CREATE FUNCTION "Select"() RETURNS SETOF people LANGUAGE sql STABLE AS 'SELECT * FROM people';
      CREATE PROCEDURE reset(keep integer) LANGUAGE plpgsql AS $$ BEGIN DELETE FROM people WHERE id <> keep; END $$;
      CREATE AGGREGATE total(integer) (sfunc = add, stype = integer, initcond = '0');
      `,
    )
    const model = await introspectUrl(database.url)
    assert.deepEqual(
      model.functions.map((fn) => fn.id),
      [
        'function:public."Select"()',
        'function:public.add(a integer, b integer)',
        'function:public.add(a text, b text)',
        'function:public.moods_of(p public.people, OUT m public.mood[])',
        'function:public.reset(IN keep integer)',
        'function:public.total(integer)',
      ],
    )
    assert.deepEqual(byId(model.functions, 'function:public.total(integer)'), {
      id: 'function:public.total(integer)',
      schema: 'public',
      name: 'total',
      comment: null,
      kind: 'aggregate',
      identityArguments: 'integer',
      returns: 'integer',
      language: 'internal',
      definition:
        "CREATE AGGREGATE public.total(integer) (SFUNC = public.add, STYPE = integer, INITCOND = '0')",
      dependsOn: ['function:public.add(a integer, b integer)', 'schema:public'],
    })
    assert.deepEqual(byId(model.functions, 'function:public.add(a text, b text)'), {
      id: 'function:public.add(a text, b text)',
      schema: 'public',
      name: 'add',
      comment: 'concatenates',
      kind: 'function',
      identityArguments: 'a text, b text',
      returns: 'text',
      language: 'sql',
      definition:
        "CREATE OR REPLACE FUNCTION public.add(a text, b text DEFAULT ''::text)\n RETURNS text\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT a || b$function$\n",
      dependsOn: ['schema:public'],
    })
    assert.deepEqual(byId(model.functions, 'function:public.reset(IN keep integer)'), {
      id: 'function:public.reset(IN keep integer)',
      schema: 'public',
      name: 'reset',
      comment: null,
      kind: 'procedure',
      identityArguments: 'IN keep integer',
      returns: null,
      language: 'plpgsql',
      definition:
        'CREATE OR REPLACE PROCEDURE public.reset(IN keep integer)\n LANGUAGE plpgsql\nAS $procedure$ BEGIN DELETE FROM people WHERE id <> keep; END $procedure$\n',
      // plpgsql is an extension (installed in every database); the diff decides what to do with it
      dependsOn: ['extension:plpgsql', 'schema:public'],
    })
    // a row type is its table; an array is its element type
    assert.deepEqual(byId(model.functions, 'function:public.moods_of(p public.people, OUT m public.mood[])').dependsOn, [
      'schema:public',
      'table:public.people',
      'type:public.mood',
    ])
    assert.equal(byId(model.functions, 'function:public."Select"()').returns, 'SETOF public.people')
    assert.deepEqual(
      model.extensions.map((extension) => [extension.id, extension.schema]),
      [['extension:plpgsql', 'pg_catalog']],
    )
  })

  test('triggers: constraint trigger, disabled and replica/always states, internal FK triggers left out', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TABLE parents (id integer PRIMARY KEY);
      CREATE TABLE kids (id integer PRIMARY KEY, parent integer REFERENCES parents, touched timestamptz);
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
      CREATE FUNCTION audit(tag text) RETURNS void LANGUAGE sql AS '';
      CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
      CREATE TRIGGER a_touch BEFORE INSERT OR UPDATE OF parent ON kids FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION touch();
      CREATE CONSTRAINT TRIGGER b_check AFTER INSERT ON kids DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION audit('kids');
      CREATE TRIGGER c_disabled AFTER DELETE ON kids FOR EACH STATEMENT EXECUTE FUNCTION audit();
      ALTER TABLE kids DISABLE TRIGGER c_disabled;
      CREATE TRIGGER d_replica AFTER UPDATE ON kids FOR EACH ROW EXECUTE FUNCTION audit();
      ALTER TABLE kids ENABLE REPLICA TRIGGER d_replica;
      CREATE TRIGGER e_always AFTER UPDATE ON kids FOR EACH ROW EXECUTE FUNCTION audit();
      ALTER TABLE kids ENABLE ALWAYS TRIGGER e_always;
      COMMENT ON TRIGGER a_touch ON kids IS 'keeps touched';
      CREATE TABLE logs (id integer) PARTITION BY RANGE (id);
      CREATE TABLE logs_1 PARTITION OF logs FOR VALUES FROM (0) TO (10);
      CREATE TRIGGER logs_touch AFTER INSERT ON logs FOR EACH ROW EXECUTE FUNCTION audit();
      `,
    )
    const model = await introspectUrl(database.url)
    const kids = tableOf(model, 'table:public.kids')
    assert.deepEqual(kids.triggers, [
      {
        name: 'a_touch',
        definition:
          'CREATE TRIGGER a_touch BEFORE INSERT OR UPDATE OF parent ON public.kids FOR EACH ROW WHEN ((new.id > 0)) EXECUTE FUNCTION public.touch()',
        enabled: 'O',
        isConstraint: false,
        function: 'function:public.touch()',
        comment: 'keeps touched',
      },
      {
        name: 'b_check',
        definition:
          "CREATE CONSTRAINT TRIGGER b_check AFTER INSERT ON public.kids DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.audit('kids')",
        enabled: 'O',
        isConstraint: true,
        // a trigger function takes its arguments from the trigger, never from its signature
        function: 'function:public.audit()',
        comment: null,
      },
      {
        name: 'c_disabled',
        definition:
          'CREATE TRIGGER c_disabled AFTER DELETE ON public.kids FOR EACH STATEMENT EXECUTE FUNCTION public.audit()',
        enabled: 'D',
        isConstraint: false,
        function: 'function:public.audit()',
        comment: null,
      },
      {
        name: 'd_replica',
        definition: 'CREATE TRIGGER d_replica AFTER UPDATE ON public.kids FOR EACH ROW EXECUTE FUNCTION public.audit()',
        enabled: 'R',
        isConstraint: false,
        function: 'function:public.audit()',
        comment: null,
      },
      {
        name: 'e_always',
        definition: 'CREATE TRIGGER e_always AFTER UPDATE ON public.kids FOR EACH ROW EXECUTE FUNCTION public.audit()',
        enabled: 'A',
        isConstraint: false,
        function: 'function:public.audit()',
        comment: null,
      },
    ])
    // the constraint trigger's pg_constraint entry is not a constraint of the model
    assert.deepEqual(kids.constraints.map((c) => c.name), ['kids_parent_fkey', 'kids_pkey'])
    assert.deepEqual(tableOf(model, 'table:public.parents').triggers, [])
    assert.deepEqual(kids.dependsOn, ['schema:public', 'table:public.parents'])
    assert.deepEqual(tableOf(model, 'table:public.logs').triggers.map((tg) => tg.name), ['logs_touch'])
    // the partition's clone of the parent's trigger comes with the parent's
    assert.deepEqual(tableOf(model, 'table:public.logs_1').triggers, [])
  })

  test('row-level security policies', async (t) => {
    const database = await createTestDatabase(t, 'source')
    // roles are cluster-wide: named after the test database, dropped after it
    const reader = `${database.name}_reader`
    const writer = `${database.name} Writer`
    t.after(async () => {
      await database.drop()
      await execSql(database.cluster.url, `DROP ROLE IF EXISTS "${reader}"; DROP ROLE IF EXISTS "${writer}";`)
    })
    await execSql(
      database.url,
      `
      CREATE ROLE "${reader}";
      CREATE ROLE "${writer}";
      CREATE TABLE docs (id integer, owner text, published boolean);
      ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
      CREATE POLICY "Own Docs" ON docs USING (owner = current_user) WITH CHECK (owner = current_user);
      CREATE POLICY published ON docs AS RESTRICTIVE FOR SELECT TO "${reader}", "${writer}" USING (published);
      CREATE POLICY writers ON docs FOR INSERT TO "${writer}" WITH CHECK (true);
      COMMENT ON POLICY published ON docs IS 'only published';
      `,
    )
    const docs = tableOf(await introspectUrl(database.url), 'table:public.docs')
    assert.deepEqual(docs.policies, [
      {
        name: 'Own Docs',
        permissive: true,
        command: 'ALL',
        roles: ['public'],
        using: '(owner = CURRENT_USER)',
        withCheck: '(owner = CURRENT_USER)',
        comment: null,
      },
      {
        name: 'published',
        permissive: false,
        command: 'SELECT',
        // sorted by code unit: ' ' sorts before '_'
        roles: [writer, reader],
        using: 'published',
        withCheck: null,
        comment: 'only published',
      },
      {
        name: 'writers',
        permissive: true,
        command: 'INSERT',
        roles: [writer],
        using: null,
        withCheck: 'true',
        comment: null,
      },
    ])
    // policies, like triggers, add nothing to dependsOn
    assert.deepEqual(docs.dependsOn, ['schema:public'])
  })
})
