import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { CreateNodesContext } from '@nx/devkit'
import { createNodes, createNodesV2 } from './migrations-plugin.js'

const SPEC = 'apiVersion: pgshift/v1\nkind: Migration\nmetadata:\n  name: x\n'
const NOT_A_SPEC = 'apiVersion: other/v2\nkind: Thing\n'

describe('createNodes', () => {
  let root: string
  let context: CreateNodesContext

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pgshift-plugin-'))
    const files: Record<string, string> = {
      // variant 1: the migrations folder is itself the project
      'migrations/project.json': '{"name":"db"}',
      'migrations/0001-init.yaml': SPEC,
      'migrations/0002-more.yml': SPEC,
      // variant 2: the parent folder is the project
      'apps/shop/package.json': '{"name":"shop"}',
      'apps/shop/migrations/0001-orders.yaml': SPEC,
      // a loose folder belongs to no project and must not invent one
      'scratch/migrations/0001-x.yaml': SPEC,
      // a YAML file that is not a pgshift spec
      'apps/other/project.json': '{"name":"other"}',
      'apps/other/migrations/compose.yaml': NOT_A_SPEC,
    }
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true })
      await writeFile(path.join(root, file), content)
    }
    context = { nxJsonConfiguration: {}, workspaceRoot: root }
  })

  after(async () => {
    await rm(root, { recursive: true, force: true })
  })

  async function infer(files: string[], options = {}) {
    const results = await createNodes[1](files, options, context)
    return Object.fromEntries(results.map(([file, result]) => [file, result]))
  }

  test('exports the v2 alias and matches migrations/*.yaml and *.yml', () => {
    assert.equal(createNodesV2, createNodes)
    assert.equal(createNodes[0], '**/migrations/*.{yaml,yml}')
  })

  test('a migrations folder with project.json owns its targets', async () => {
    const byFile = await infer(['migrations/0001-init.yaml', 'migrations/0002-more.yml'])
    for (const file of ['migrations/0001-init.yaml', 'migrations/0002-more.yml']) {
      const target = byFile[file]?.projects?.['migrations']?.targets?.['migrate-lint']
      assert.ok(target, file)
      assert.equal(target.executor, '@pgshift/nx-plugin:migrate-lint')
      assert.equal(target.cache, true)
      assert.deepEqual(target.options, { migrationsDir: '{projectRoot}' })
      assert.deepEqual(target.inputs?.slice(0, 2), ['{projectRoot}/*.yaml', '{projectRoot}/*.yml'])
    }
  })

  test('otherwise the parent project owns them', async () => {
    const byFile = await infer(['apps/shop/migrations/0001-orders.yaml'])
    const target =
      byFile['apps/shop/migrations/0001-orders.yaml']?.projects?.['apps/shop']?.targets?.[
        'migrate-lint'
      ]
    assert.deepEqual(target?.options, { migrationsDir: '{projectRoot}/migrations' })
  })

  test('loose folders and non-pgshift YAML give no project', async () => {
    const byFile = await infer(['scratch/migrations/0001-x.yaml', 'apps/other/migrations/compose.yaml'])
    assert.deepEqual(byFile['scratch/migrations/0001-x.yaml'], {})
    assert.deepEqual(byFile['apps/other/migrations/compose.yaml'], {})
  })

  test('every target name is configurable', async () => {
    const byFile = await infer(['migrations/0001-init.yaml'], {
      lintTargetName: 'spec-lint',
      planTargetName: 'db-plan',
      applyTargetName: 'db-apply',
      statusTargetName: 'db-status',
      validateTargetName: 'db-validate',
      cutoverTargetName: 'db-cutover',
    })
    const targets = byFile['migrations/0001-init.yaml']?.projects?.['migrations']?.targets ?? {}
    assert.deepEqual(
      Object.entries(targets).map(([name, target]) => `${name} ${target.executor}`),
      [
        'spec-lint @pgshift/nx-plugin:migrate-lint',
        'db-plan @pgshift/nx-plugin:migrate-plan',
        'db-apply @pgshift/nx-plugin:migrate-apply',
        'db-status @pgshift/nx-plugin:migrate-status',
        'db-validate @pgshift/nx-plugin:migrate-validate',
        'db-cutover @pgshift/nx-plugin:migrate-cutover',
      ],
    )
  })

  test('the live-database targets are never cached and point at the spec folder', async () => {
    const byFile = await infer(['apps/shop/migrations/0001-orders.yaml'])
    const targets =
      byFile['apps/shop/migrations/0001-orders.yaml']?.projects?.['apps/shop']?.targets ?? {}
    const live = ['migrate-plan', 'migrate-apply', 'migrate-status', 'migrate-validate', 'migrate-cutover']
    assert.deepEqual(Object.keys(targets), ['migrate-lint', ...live])
    for (const name of live) {
      const target = targets[name]
      assert.equal(target?.executor, `@pgshift/nx-plugin:${name}`, name)
      assert.equal(target?.cache, false, name)
      assert.equal(target?.options?.migrationsDir, '{projectRoot}/migrations', name)
      assert.ok(target?.metadata?.description, name)
      assert.deepEqual(target?.metadata?.technologies, ['pgshift'], name)
    }
  })

  test('the plan target writes below dist/pgshift/<project>, declared as its outputs', async () => {
    const byFile = await infer(['migrations/0001-init.yaml'])
    const plan = byFile['migrations/0001-init.yaml']?.projects?.['migrations']?.targets?.['migrate-plan']
    assert.deepEqual(plan?.options, { migrationsDir: '{projectRoot}', out: 'dist/pgshift/{projectName}' })
    assert.deepEqual(plan?.outputs, ['{workspaceRoot}/dist/pgshift/{projectName}'])
    const apply = byFile['migrations/0001-init.yaml']?.projects?.['migrations']?.targets?.['migrate-apply']
    assert.equal(apply?.outputs, undefined)
  })

  test('outside the pgshift repo the engine version enters the hash as a package', async () => {
    const byFile = await infer(['migrations/0001-init.yaml'])
    const inputs = byFile['migrations/0001-init.yaml']?.projects?.['migrations']?.targets?.[
      'migrate-lint'
    ]?.inputs
    assert.deepEqual(inputs?.at(-1), { externalDependencies: ['@pgshift/core', '@pgshift/nx-plugin'] })
  })
})
