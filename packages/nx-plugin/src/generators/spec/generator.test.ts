import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { addProjectConfiguration } from '@nx/devkit'
import type { Tree } from '@nx/devkit'
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing'
import { loadSpecText } from '@pgshift/core'
import { createTestDatabase, withClient } from '../../../../../test/support/test-databases.js'
import { captureConsole } from '../../testing/capture-console.js'
import specGenerator from './generator.js'

const ENV = {
  SOURCE_DATABASE_URL: 'postgres://app@127.0.0.1:5432/shop',
  TARGET_DATABASE_URL: 'postgres://app@127.0.0.1:5433/shop',
}

function workspace(): Tree {
  process.env.NX_SKIP_FORMAT = 'true'
  const tree = createTreeWithEmptyWorkspace()
  // the example project's layout: the migrations folder is the project
  addProjectConfiguration(tree, 'db', { root: 'migrations' })
  addProjectConfiguration(tree, 'shop', { root: 'apps/shop' })
  return tree
}

async function assertLoads(text: string, file: string) {
  const { spec, problems } = await loadSpecText(text, file, { env: ENV })
  assert.deepEqual(problems, [], text)
  assert.ok(spec)
  return spec
}

describe('spec generator', () => {
  test('scaffolds a spec that loads cleanly, named after the file', async () => {
    const tree = workspace()
    await specGenerator(tree, { project: 'db', name: '0003-orders', skipFormat: true })
    const text = tree.read('migrations/0003-orders.yaml', 'utf8') ?? ''
    const spec = await assertLoads(text, 'migrations/0003-orders.yaml')
    assert.equal(spec.metadata.name, 'orders')
    assert.deepEqual(spec.types, ['schema', 'full'])
    assert.match(text, /^  url: \$\{SOURCE_DATABASE_URL\}$/m)
    assert.match(text, /^  url: \$\{TARGET_DATABASE_URL\}$/m)
    assert.match(text, /^objects:\n {2}- schema: public$/m)
    assert.match(text, /^# yaml-language-server: \$schema=\.\.\/node_modules\/@pgshift\/core\/schema\/pgshift-v1\.schema\.json$/m)
  })

  test('another project gets the spec in its migrations folder; existing files are kept', async () => {
    const tree = workspace()
    await specGenerator(tree, { project: 'shop', name: '0001-Move-Orders.yaml', skipFormat: true })
    const text = tree.read('apps/shop/migrations/0001-Move-Orders.yaml', 'utf8') ?? ''
    assert.equal((await assertLoads(text, 'x.yaml')).metadata.name, 'move-orders')
    await assert.rejects(
      specGenerator(tree, { project: 'shop', name: '0001-Move-Orders', skipFormat: true }),
      /apps\/shop\/migrations\/0001-Move-Orders\.yaml already exists/,
    )
    await assert.rejects(specGenerator(tree, { project: 'shop', name: '../escape' }), /must be a file name/)
    await assert.rejects(specGenerator(tree, { project: 'shop', name: '0004' }), /needs letters/)
  })

  test('with a source URL it lists the schemas and tables, and never writes or prints the password', async (t) => {
    const source = await createTestDatabase(t, 'source')
    await withClient(source.url, (client) =>
      client.query(`
        CREATE TABLE public.customers (id int PRIMARY KEY);
        CREATE SCHEMA sales;
        CREATE TABLE sales.orders (id int, created date) PARTITION BY RANGE (created);
        CREATE TABLE sales.orders_2024 PARTITION OF sales.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE sales."Order Items" (id int);
        CREATE VIEW sales.recent AS SELECT 1 AS one;
        CREATE SCHEMA empty;
        CREATE SCHEMA pgshift;
        CREATE TABLE pgshift.state (id int);`),
    )
    // trust authentication accepts any password: this one must appear nowhere
    const withPassword = new URL(source.url)
    withPassword.password = 'hunter2-secret'
    const tree = workspace()
    const { stdout, stderr } = await captureConsole(() =>
      specGenerator(tree, { project: 'db', name: '0003-orders', sourceUrl: withPassword.toString(), skipFormat: true }),
    )
    const text = tree.read('migrations/0003-orders.yaml', 'utf8') ?? ''
    assert.doesNotMatch(text + stdout + stderr, /hunter2/)
    assert.doesNotMatch(text, new RegExp(source.name))
    assert.match(stdout, /listed 3 schemas and 3 tables of the source database/)
    const spec = await assertLoads(text, 'migrations/0003-orders.yaml')
    assert.deepEqual(spec.objects?.map((entry) => [entry.schema, entry.tables?.map((table) => table.name) ?? null]), [
      ['empty', null],
      ['public', ['customers']],
      ['sales', ['Order Items', 'orders']],
    ])
  })

  test('an unreachable source fails with a message that names no password', async () => {
    const tree = workspace()
    await assert.rejects(
      specGenerator(tree, {
        project: 'db',
        name: '0003-orders',
        sourceUrl: 'postgres://app:hunter2-secret@127.0.0.1:1/shop?connect_timeout=2',
        skipFormat: true,
      }),
      (error: Error) => {
        assert.match(error.message, /cannot connect to the source database shop at 127\.0\.0\.1:1/)
        assert.doesNotMatch(error.message, /hunter2/)
        return true
      },
    )
    assert.equal(tree.exists('migrations/0003-orders.yaml'), false)
  })
})
