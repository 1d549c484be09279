import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createTestDatabase } from '../../../../test/support/test-databases.js'
import { generateWideSchema } from './generate-wide-schema.js'
import { execSql, introspectUrl, objectsWithDependencies, tableOf, viewOf } from './introspect-test-helpers.js'
import { topLevelIds } from '../model/top-level-objects.js'

describe('generateWideSchema', () => {
  test('writes tables with a key, two indexes and a foreign key to the previous one, and a view every 10', () => {
    const text = generateWideSchema({ tables: 20, schema: 'Wide One' })
    assert.equal(text.match(/^CREATE TABLE /gm)?.length, 20)
    assert.equal(text.match(/^CREATE INDEX /gm)?.length, 40)
    assert.equal(text.match(/REFERENCES /g)?.length, 19)
    assert.equal(text.match(/^CREATE VIEW /gm)?.length, 2)
    assert.ok(text.startsWith('CREATE SCHEMA IF NOT EXISTS "Wide One";\n'))
    assert.throws(() => generateWideSchema({ tables: 0 }), /positive integer/)
  })

  test('300 tables introspect completely (time reported, measured in bench/)', async (t) => {
    const database = await createTestDatabase(t, 'source')
    await execSql(database.url, generateWideSchema({ tables: 300 }))

    const started = performance.now()
    const model = await introspectUrl(database.url)
    const seconds = (performance.now() - started) / 1000
    t.diagnostic(`300 tables, 30 views introspected in ${seconds.toFixed(3)} s`)

    assert.equal(model.tables.length, 300)
    assert.equal(model.views.length, 30)
    const ids = topLevelIds(model)
    for (const object of objectsWithDependencies(model)) {
      for (const id of object.dependsOn) assert.ok(ids.has(id), `${object.id} → ${id}`)
    }
    const t0150 = tableOf(model, 'table:wide.t_0150')
    assert.deepEqual(t0150.constraints.map((c) => [c.name, c.kind, c.references]), [
      ['t_0150_parent_id_fkey', 'foreign_key', 'table:wide.t_0149'],
      ['t_0150_pkey', 'primary_key', null],
    ])
    assert.deepEqual(t0150.indexes.map((index) => index.definition), [
      'CREATE INDEX t_0150_code ON wide.t_0150 USING btree (code)',
      'CREATE INDEX t_0150_created_at ON wide.t_0150 USING btree (created_at DESC)',
    ])
    assert.deepEqual(t0150.dependsOn, ['schema:wide', 'table:wide.t_0149'])
    assert.deepEqual(tableOf(model, 'table:wide.t_0001').dependsOn, ['schema:wide'])
    assert.deepEqual(viewOf(model, 'view:wide.v_0150').dependsOn, ['schema:wide', 'table:wide.t_0149', 'table:wide.t_0150'])
  })
})
