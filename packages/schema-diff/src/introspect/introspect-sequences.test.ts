import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createTestDatabase } from '../../../../test/support/test-databases.js'
import { byId, execSql, introspectUrl, tableOf } from './introspect-test-helpers.js'

describe('introspect sequences', () => {
  test('SERIAL, bigserial, OWNED BY another column, unowned, identity sequences not listed', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(
      database.url,
      `
      CREATE TABLE orders (id serial PRIMARY KEY, big bigserial, ref integer, ident integer GENERATED ALWAYS AS IDENTITY);
      CREATE SEQUENCE order_refs AS smallint START WITH 10 INCREMENT BY -2 MINVALUE -100 MAXVALUE 10 CACHE 5 CYCLE;
      ALTER SEQUENCE order_refs OWNED BY orders.ref;
      CREATE SEQUENCE free_counter;
      COMMENT ON SEQUENCE free_counter IS 'not owned';
      CREATE TABLE tickets (no bigint DEFAULT nextval('free_counter') + 1000);
      CREATE SCHEMA "S p";
      CREATE TABLE "S p"."T" ("Id" serial);
      `,
    )
    const model = await introspectUrl(database.url)
    assert.deepEqual(
      model.sequences.map((sequence) => sequence.id),
      [
        'sequence:"S p"."T_Id_seq"',
        'sequence:public.free_counter',
        'sequence:public.order_refs',
        'sequence:public.orders_big_seq',
        'sequence:public.orders_id_seq',
      ],
    )
    assert.deepEqual(byId(model.sequences, 'sequence:public.orders_id_seq'), {
      id: 'sequence:public.orders_id_seq',
      schema: 'public',
      name: 'orders_id_seq',
      comment: null,
      dataType: 'integer',
      start: '1',
      increment: '1',
      min: '1',
      max: '2147483647',
      cache: '1',
      cycle: false,
      ownedBy: { table: 'table:public.orders', column: 'id' },
      isSerial: true,
      // not the owning table: OWNED BY is set after the table exists
      dependsOn: ['schema:public'],
    })
    const big = byId(model.sequences, 'sequence:public.orders_big_seq')
    assert.deepEqual([big.dataType, big.max, big.isSerial, big.ownedBy], [
      'bigint',
      '9223372036854775807',
      true,
      { table: 'table:public.orders', column: 'big' },
    ])
    assert.deepEqual(byId(model.sequences, 'sequence:public.order_refs'), {
      id: 'sequence:public.order_refs',
      schema: 'public',
      name: 'order_refs',
      comment: null,
      dataType: 'smallint',
      start: '10',
      increment: '-2',
      min: '-100',
      max: '10',
      cache: '5',
      cycle: true,
      ownedBy: { table: 'table:public.orders', column: 'ref' },
      // owned, but the column's default is not its nextval
      isSerial: false,
      dependsOn: ['schema:public'],
    })
    const free = byId(model.sequences, 'sequence:public.free_counter')
    assert.deepEqual([free.ownedBy, free.isSerial, free.comment], [null, false, 'not owned'])
    const quoted = byId(model.sequences, 'sequence:"S p"."T_Id_seq"')
    assert.deepEqual([quoted.ownedBy, quoted.isSerial], [{ table: 'table:"S p"."T"', column: 'Id' }, true])

    const orders = tableOf(model, 'table:public.orders')
    assert.deepEqual(orders.columns.map((column) => [column.name, column.default]), [
      ['id', "nextval('public.orders_id_seq'::regclass)"],
      ['big', "nextval('public.orders_big_seq'::regclass)"],
      ['ref', null],
      ['ident', null],
    ])
    assert.deepEqual(orders.dependsOn, [
      'schema:public',
      'sequence:public.orders_big_seq',
      'sequence:public.orders_id_seq',
    ])
    assert.deepEqual(tableOf(model, 'table:public.tickets').dependsOn, [
      'schema:public',
      'sequence:public.free_counter',
    ])
    assert.equal(
      tableOf(model, 'table:"S p"."T"').columns[0]?.default,
      `nextval('"S p"."T_Id_seq"'::regclass)`,
    )
  })
})
