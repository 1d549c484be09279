import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createTestDatabase, withClient } from '../support/test-databases.js'
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

function nx(args: string[], env: Record<string, string> = {}, cwd = WORKSPACE_ROOT) {
  const result = spawnSync(path.join(WORKSPACE_ROOT, 'node_modules', '.bin', 'nx'), args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...NX_ENV, ...env },
    timeout: 300_000,
  })
  return { ...result, output: `${result.stdout}${result.stderr}` }
}

function git(args: string[], cwd: string) {
  const result = spawnSync('git', ['-c', 'user.name=pgshift test', '-c', 'user.email=test@pgshift.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  })
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`)
}

const specText = (name: string, extra = '') =>
  `apiVersion: pgshift/v1\nkind: Migration\nmetadata:\n  name: ${name}\n` +
  'source:\n  url: ${SOURCE_DATABASE_URL}\ndestination:\n  url: ${TARGET_DATABASE_URL}\n' +
  extra

const LIVE_TARGETS = ['migrate-plan', 'migrate-apply', 'migrate-status', 'migrate-validate', 'migrate-cutover']

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

  test('the plugin gives the example project migrate-lint (cached) and five live targets (never cached)', () => {
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
    const pgshiftTargets = Object.entries(project.targets)
      .filter(([, target]) => target.executor.startsWith('@pgshift/nx-plugin:'))
      .map(([name, target]) => `${name} ${target.executor} cache=${target.cache}`)
    assert.deepEqual(pgshiftTargets, [
      'migrate-lint @pgshift/nx-plugin:migrate-lint cache=true',
      ...LIVE_TARGETS.map((name) => `${name} @pgshift/nx-plugin:${name} cache=false`),
    ])
    assert.deepEqual(project.targets['migrate-plan']?.options, { migrationsDir: 'migrations', out: 'dist/pgshift/db' })
  })

  test('nx run db:migrate-lint lints the example specs', () => {
    const result = nx(['run', 'db:migrate-lint', '--skip-nx-cache'])
    assert.equal(result.status, 0, result.output)
    assert.match(result.output, /spec files checked: no problems/)
  })

  test('nx run db:migrate-status --spec runs the CLI against unreachable databases and Nx reports failure', async () => {
    // A spec of its own, so that the CLI gives up on the closed port after a second whatever
    // status does once it is implemented (the example specs retry connections for 12 hours).
    const spec = path.join(scratch, '0001-unreachable.yaml')
    await writeFile(spec, specText('unreachable', 'options:\n  retry: { connection: 1s, other: 1s }\n'))
    const result = nx(['run', 'db:migrate-status', `--spec=${spec}`, '--format=json'], {
      SOURCE_DATABASE_URL: 'postgres://pgshift@127.0.0.1:1/source',
      TARGET_DATABASE_URL: 'postgres://pgshift@127.0.0.1:1/target',
    })
    assert.equal(result.status, 1, result.output)
    // the CLI's own message: "not available yet" until status is built, then the refused connection
    assert.match(result.output, /pgshift status: not available|cannot connect to the (source|destination) database/)
    // the executor's line carries the CLI's exit code, which Nx flattens to 1
    assert.match(result.output, /^pgshift status \S*0001-unreachable\.yaml: exit code [123] \(/m)
    assert.match(result.output, /Running target migrate-status for project db failed/)
  })

  test('nx run db:migrate-plan plans both example specs against live databases; twice gives identical bytes', async (t) => {
    const [source, destination] = await Promise.all([createTestDatabase(t, 'source'), createTestDatabase(t, 'destination')])
    await withClient(source.url, (client) =>
      client.query(`
        CREATE SCHEMA sales;
        CREATE TABLE sales.customers (id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE sales.tmp_import (id int PRIMARY KEY, line text);
        CREATE TABLE public.orders (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at date NOT NULL,
          amount numeric(12, 2) NOT NULL, internal_note text);
        INSERT INTO public.orders (created_at, amount) SELECT date '2023-12-25' + i, i FROM generate_series(1, 20) AS i;
        ANALYZE;`),
    )
    const out = path.join(WORKSPACE_ROOT, 'dist', 'pgshift', 'db')
    await rm(out, { recursive: true, force: true })
    const env = { SOURCE_DATABASE_URL: source.url, TARGET_DATABASE_URL: destination.url }
    const read = async () =>
      Object.fromEntries(
        await Promise.all(
          ['0001-whole-database', '0002-sales-to-eu'].flatMap((spec) =>
            ['plan.md', 'plan.json'].map(async (file) => [`${spec}/${file}`, await readFile(path.join(out, spec, file), 'utf8')] as const),
          ),
        ),
      )
    const first = nx(['run', 'db:migrate-plan'], env)
    assert.equal(first.status, 0, first.output)
    const plans = await read()
    assert.match(plans['0002-sales-to-eu/plan.md'] ?? '', /\| `public\.orders` \| `public\.orders_archive` \| `created_at >= '2024-01-01'` \|/)
    assert.match(plans['0001-whole-database/plan.md'] ?? '', /^# pgshift plan: whole-database$/m)
    const second = nx(['run', 'db:migrate-plan'], env)
    assert.equal(second.status, 0, second.output)
    assert.deepEqual(await read(), plans, 'a second plan of the same databases is byte-identical')
    await rm(out, { recursive: true, force: true })
  })

  test('nx affected -t migrate-plan plans only the project whose spec changed', async () => {
    // A scratch git workspace with two spec projects and one without specs. It loads the
    // plugin from this repository's sources by absolute path and reuses its node_modules.
    const root = path.join(scratch, 'affected')
    const files: Record<string, string> = {
      'package.json': '{ "name": "scratch", "private": true }\n',
      'nx.json': JSON.stringify({
        analytics: false,
        neverConnectToCloud: true,
        plugins: [path.join(WORKSPACE_ROOT, 'packages', 'nx-plugin', 'src', 'index.ts')],
      }),
      // Nx transpiles TypeScript plugins only when a root tsconfig exists, and with its
      // settings: the plugin's default imports of node: modules need esModuleInterop
      'tsconfig.base.json': JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', esModuleInterop: true },
      }),
      '.gitignore': 'node_modules\n.nx\ndist\n',
      'apps/shop/project.json': '{ "name": "shop" }\n',
      'apps/shop/migrations/0001-orders.yaml': specText('orders'),
      'apps/billing/project.json': '{ "name": "billing" }\n',
      'apps/billing/migrations/0001-invoices.yaml': specText('invoices'),
      'libs/ui/project.json': '{ "name": "ui" }\n',
      'libs/ui/index.ts': 'export const ui = 1\n',
    }
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true })
      await writeFile(path.join(root, file), content)
    }
    await symlink(path.join(WORKSPACE_ROOT, 'node_modules'), path.join(root, 'node_modules'))
    git(['init', '--quiet'], root)
    git(['add', '.'], root)
    git(['commit', '--quiet', '-m', 'base'], root)
    await writeFile(
      path.join(root, 'apps/billing/migrations/0001-invoices.yaml'),
      specText('invoices', 'types: [schema, full, incremental]\n'),
    )
    // a project without specs changes too: affected, but it has no migrate-plan to run
    await writeFile(path.join(root, 'libs/ui/index.ts'), 'export const ui = 2\n')
    git(['commit', '--quiet', '-am', 'billing: follow changes'], root)

    // --graph writes the task graph instead of running it: the plans themselves need databases
    const graphFile = path.join(scratch, 'affected-tasks.json')
    const planned = nx(
      ['affected', '-t', 'migrate-plan', '--base=HEAD~1', '--head=HEAD', `--graph=${graphFile}`],
      {},
      root,
    )
    assert.equal(planned.status, 0, planned.output)
    const { tasks } = JSON.parse(await readFile(graphFile, 'utf8')) as { tasks: { tasks: Record<string, unknown> } }
    assert.deepEqual(Object.keys(tasks.tasks), ['billing:migrate-plan'])
  })

  test('nx run-many -t build typecheck succeeds for every package', () => {
    const result = nx(['run-many', '-t', 'build', 'typecheck', '--outputStyle=static'])
    assert.equal(result.status, 0, result.output)
    assert.match(result.output, /Successfully ran targets build, typecheck for 3 projects/)
  })
})
