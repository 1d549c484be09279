import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createTestDatabase, withClient } from '../../../../test/support/test-databases.js'
import { byId, execSql, introspectUrl, tableOf, typeOf } from './introspect-test-helpers.js'

describe('introspect types and collations', () => {
  test('enum, domain over enum used in a table, composite, range with multirange', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TYPE mood AS ENUM ('sad', 'ok');
      ALTER TYPE mood ADD VALUE 'happy' BEFORE 'ok';
      ALTER TYPE mood ADD VALUE 'ecstatic';
      COMMENT ON TYPE mood IS 'feelings';
      `,
    )
    // new enum values cannot be used in the transaction that added them
    await execSql(
      database.url,
      `
      CREATE DOMAIN good_mood AS mood NOT NULL DEFAULT 'happy'
        CONSTRAINT not_sad CHECK (VALUE <> 'sad');
      ALTER DOMAIN good_mood ADD CONSTRAINT "Not Ok" CHECK (VALUE <> 'ok') NOT VALID;
      CREATE DOMAIN code AS varchar(10) COLLATE "C";
      CREATE DOMAIN price AS numeric(12,2) CHECK (VALUE >= 0);
      CREATE TYPE address AS (street text COLLATE "C", "Zip Code" varchar(5), feeling mood);
      CREATE FUNCTION float_diff(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$ SELECT a - b $$;
      CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float_diff, multirange_type_name = floatranges);
      CREATE TYPE textrange AS RANGE (subtype = text, collation = "C", subtype_opclass = text_pattern_ops);
      CREATE TABLE diary (id integer, today good_mood, moods mood[], home address, spans floatrange, many floatranges);
      `,
    )
    const model = await introspectUrl(database.url)
    assert.deepEqual(typeOf(model, 'type:public.mood'), {
      id: 'type:public.mood',
      schema: 'public',
      name: 'mood',
      comment: 'feelings',
      kind: 'enum',
      labels: ['sad', 'happy', 'ok', 'ecstatic'],
      dependsOn: ['schema:public'],
    })
    assert.deepEqual(typeOf(model, 'type:public.good_mood'), {
      id: 'type:public.good_mood',
      schema: 'public',
      name: 'good_mood',
      comment: null,
      kind: 'domain',
      baseType: 'public.mood',
      notNull: true,
      default: "'happy'::public.mood",
      collation: null,
      constraints: [
        { name: 'Not Ok', definition: "CHECK ((VALUE <> 'ok'::public.mood)) NOT VALID", validated: false },
        { name: 'not_sad', definition: "CHECK ((VALUE <> 'sad'::public.mood))", validated: true },
      ],
      dependsOn: ['schema:public', 'type:public.mood'],
    })
    const code = typeOf(model, 'type:public.code')
    assert.deepEqual(code.kind === 'domain' && [code.baseType, code.collation], ['character varying(10)', 'pg_catalog."C"'])
    const price = typeOf(model, 'type:public.price')
    assert.deepEqual(price.kind === 'domain' && price.constraints, [
      { name: 'price_check', definition: 'CHECK ((VALUE >= (0)::numeric))', validated: true },
    ])
    assert.deepEqual(typeOf(model, 'type:public.address'), {
      id: 'type:public.address',
      schema: 'public',
      name: 'address',
      comment: null,
      kind: 'composite',
      attributes: [
        { name: 'street', type: 'text', collation: 'pg_catalog."C"' },
        { name: 'Zip Code', type: 'character varying(5)', collation: null },
        { name: 'feeling', type: 'public.mood', collation: null },
      ],
      dependsOn: ['schema:public', 'type:public.mood'],
    })
    assert.deepEqual(typeOf(model, 'type:public.floatrange'), {
      id: 'type:public.floatrange',
      schema: 'public',
      name: 'floatrange',
      comment: null,
      kind: 'range',
      subtype: 'double precision',
      subtypeOpclass: null,
      collation: null,
      canonical: null,
      subtypeDiff: 'public.float_diff',
      multirangeName: 'floatranges',
      dependsOn: ['function:public.float_diff(a double precision, b double precision)', 'schema:public'],
    })
    const textrange = typeOf(model, 'type:public.textrange')
    assert.deepEqual(
      textrange.kind === 'range' && [textrange.subtypeOpclass, textrange.collation, textrange.multirangeName],
      ['pg_catalog.text_pattern_ops', 'pg_catalog."C"', 'textmultirange'],
    )
    // arrays and multiranges are not types of their own in the model
    assert.deepEqual(
      model.types.map((type) => type.id),
      [
        'type:public.address',
        'type:public.code',
        'type:public.floatrange',
        'type:public.good_mood',
        'type:public.mood',
        'type:public.price',
        'type:public.textrange',
      ],
    )
    // mood[] → mood, floatranges → floatrange
    assert.deepEqual(tableOf(model, 'table:public.diary').dependsOn, [
      'schema:public',
      'type:public.address',
      'type:public.floatrange',
      'type:public.good_mood',
      'type:public.mood',
    ])
  })

  test('user collations (ICU when available, libc)', async (t) => {
    const database = await createTestDatabase(t, 'source')
    const icu = await withClient(database.url, async (client) => {
      const { rows } = await client.query<{ icu: boolean }>(
        "SELECT EXISTS (SELECT FROM pg_collation WHERE collprovider = 'i') AS icu",
      )
      return rows[0]?.icu === true
    })
    await execSql(
      database.url,
      `
      CREATE COLLATION c_libc (provider = libc, locale = 'C');
      COMMENT ON COLLATION c_libc IS 'bytes';
      ${icu ? "CREATE COLLATION german_phonebook (provider = icu, locale = 'de-u-co-phonebk');" : ''}
      ${icu ? "CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);" : ''}
      CREATE TABLE names (a text COLLATE c_libc${icu ? ', b text COLLATE german_phonebook' : ''});
      `,
    )
    const model = await introspectUrl(database.url)
    assert.deepEqual(byId(model.collations, 'collation:public.c_libc'), {
      id: 'collation:public.c_libc',
      schema: 'public',
      name: 'c_libc',
      comment: 'bytes',
      provider: 'libc',
      locale: null,
      lcCollate: 'C',
      lcCtype: 'C',
      deterministic: true,
      dependsOn: ['schema:public'],
    })
    const names = tableOf(model, 'table:public.names')
    assert.equal(names.columns[0]?.collation, 'public.c_libc')
    if (!icu) {
      t.diagnostic('no ICU collations on this server: ICU cases skipped')
      assert.deepEqual(names.dependsOn, ['collation:public.c_libc', 'schema:public'])
      return
    }
    assert.deepEqual(byId(model.collations, 'collation:public.german_phonebook'), {
      id: 'collation:public.german_phonebook',
      schema: 'public',
      name: 'german_phonebook',
      comment: null,
      provider: 'icu',
      locale: 'de-u-co-phonebk',
      lcCollate: null,
      lcCtype: null,
      deterministic: true,
      dependsOn: ['schema:public'],
    })
    assert.equal(byId(model.collations, 'collation:public.case_insensitive').deterministic, false)
    assert.deepEqual(names.dependsOn, [
      'collation:public.c_libc',
      'collation:public.german_phonebook',
      'schema:public',
    ])
  })
})
