import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'

// Every Nx invocation of the suite lives in this file so that no two run at once in the same
// workspace (they share .nx/workspace-data).
const NX_ENV = {
  CI: 'true',
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_ISOLATE_PLUGINS: 'false',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
}

function nx(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(path.join(WORKSPACE_ROOT, 'node_modules', '.bin', 'nx'), args, {
    cwd: WORKSPACE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...NX_ENV, ...env },
    timeout: 300_000,
  })
  return { ...result, output: `${result.stdout}${result.stderr}` }
}

describe('the Nx workspace', () => {
  let scratch: string

  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'pgshift-nx-'))
  })

  after(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  test('the graph holds the three packages and the example project, edges one way', async () => {
    const file = path.join(scratch, 'graph.json')
    const result = nx(['graph', `--file=${file}`])
    assert.equal(result.status, 0, result.output)
    const { graph } = JSON.parse(await readFile(file, 'utf8')) as {
      graph: {
        nodes: Record<string, unknown>
        dependencies: Record<string, { target: string }[]>
      }
    }
    assert.deepEqual(Object.keys(graph.nodes).sort(), [
      '@pgshift/core',
      '@pgshift/nx-plugin',
      '@pgshift/schema-diff',
      'db',
    ])
    const edges = Object.entries(graph.dependencies)
      .flatMap(([source, targets]) => targets.map((dependency) => `${source} -> ${dependency.target}`))
      .sort()
    assert.deepEqual(edges, [
      '@pgshift/core -> @pgshift/schema-diff',
      '@pgshift/nx-plugin -> @pgshift/core',
    ])
  })

  test('the plugin gives the example project a cacheable migrate-lint target', () => {
    const result = nx(['show', 'project', 'db', '--json'])
    assert.equal(result.status, 0, result.output)
    const project = JSON.parse(result.stdout) as {
      targets: Record<string, { executor: string; cache: boolean; options: unknown }>
    }
    const lint = project.targets['migrate-lint']
    assert.ok(lint, 'migrate-lint is inferred')
    assert.equal(lint.executor, '@pgshift/nx-plugin:migrate-lint')
    assert.equal(lint.cache, true)
    assert.deepEqual(lint.options, { migrationsDir: 'migrations' })
  })

  test('nx run db:migrate-lint lints the example specs', () => {
    const result = nx(['run', 'db:migrate-lint', '--skip-nx-cache'])
    assert.equal(result.status, 0, result.output)
    assert.match(result.output, /spec files checked: no problems/)
  })

  test('nx run-many -t build typecheck succeeds for every package', () => {
    const result = nx(['run-many', '-t', 'build', 'typecheck', '--outputStyle=static'])
    assert.equal(result.status, 0, result.output)
    assert.match(result.output, /Successfully ran targets build, typecheck for 3 projects/)
  })
})
