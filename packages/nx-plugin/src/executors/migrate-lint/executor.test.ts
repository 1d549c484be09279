import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { ExecutorContext } from '@nx/devkit'
import { recordingCli } from '../../testing/recording-cli.js'
import migrateLintExecutor from './executor.js'

const GOOD = `apiVersion: pgshift/v1
kind: Migration
metadata:
  name: shop
source:
  url: \${SHOP_SOURCE_URL_THAT_IS_NOT_SET}
destination:
  url: postgres://app@127.0.0.1:5433/shop
`

const BAD = `apiVersion: pgshift/v1
kind: Migration
metadata:
  name: shop
source:
  url: postgres://app@127.0.0.1:5432/shop
destination:
  url: postgres://app@127.0.0.1:5433/shop
types: [everything]
`

function contextFor(root: string): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'db',
    targetName: 'migrate-lint',
    projectGraph: { nodes: {}, dependencies: {} },
    projectsConfigurations: { version: 2, projects: {} },
    nxJsonConfiguration: {},
  }
}

// The executor prints through console; process.stdout itself carries node:test's own report
// and must not be intercepted.
async function captureStdout<T>(fn: () => Promise<T>): Promise<{ value: T; output: string }> {
  const original = console.log
  const lines: string[] = []
  console.log = (...parts: unknown[]) => {
    lines.push(parts.map(String).join(' '))
  }
  try {
    const value = await fn()
    return { value, output: lines.length === 0 ? '' : `${lines.join('\n')}\n` }
  } finally {
    console.log = original
  }
}

describe('migrate-lint executor', () => {
  let root: string

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pgshift-executor-'))
    await mkdir(path.join(root, 'good', 'migrations'), { recursive: true })
    await mkdir(path.join(root, 'bad', 'migrations'), { recursive: true })
    await writeFile(path.join(root, 'good', 'migrations', '0001-shop.yaml'), GOOD)
    await writeFile(path.join(root, 'bad', 'migrations', '0001-shop.yaml'), BAD)
  })

  after(async () => {
    await rm(root, { recursive: true, force: true })
  })

  test('succeeds on clean specs, tolerating unset variables by default', async () => {
    const { value, output } = await captureStdout(() =>
      migrateLintExecutor({ migrationsDir: 'good/migrations' }, contextFor(root)),
    )
    assert.deepEqual(value, { success: true })
    assert.match(output, /1 spec file checked: no problems/)
  })

  test('fails, without throwing, when a spec has errors, and names file:line:col', async () => {
    const { value, output } = await captureStdout(() =>
      migrateLintExecutor({ migrationsDir: 'bad/migrations' }, contextFor(root)),
    )
    assert.deepEqual(value, { success: false })
    assert.match(output, /^bad\/migrations\/0001-shop\.yaml:9:9: /m)
  })

  test('allowMissingEnv: false makes an unset variable an error', async () => {
    const { value, output } = await captureStdout(() =>
      migrateLintExecutor(
        { migrationsDir: 'good/migrations', allowMissingEnv: false },
        contextFor(root),
      ),
    )
    assert.deepEqual(value, { success: false })
    assert.match(output, /SHOP_SOURCE_URL_THAT_IS_NOT_SET/)
  })

  test('--spec lints one file; json output is machine-readable', async () => {
    const { value, output } = await captureStdout(() =>
      migrateLintExecutor(
        { migrationsDir: 'good/migrations', spec: 'bad/migrations/0001-shop.yaml', format: 'json' },
        contextFor(root),
      ),
    )
    assert.deepEqual(value, { success: false })
    const report = JSON.parse(output) as { files: { file: string }[]; errorCount: number }
    assert.deepEqual(report.files.map((entry) => entry.file), ['bad/migrations/0001-shop.yaml'])
    assert.equal(report.errorCount, 1)
  })

  test('the CLI gets every spec of the folder in one run', async () => {
    await writeFile(path.join(root, 'good', 'migrations', '0002-more.yml'), GOOD)
    try {
      const { cli, calls } = recordingCli()
      const { value } = await captureStdout(() =>
        migrateLintExecutor({ migrationsDir: 'good/migrations', format: 'json' }, contextFor(root), cli),
      )
      assert.deepEqual(value, { success: true })
      assert.deepEqual(calls, [
        [
          'node', 'pgshift', 'lint',
          'good/migrations/0001-shop.yaml', 'good/migrations/0002-more.yml',
          '--format', 'json',
          '--allow-missing-env',
        ],
      ])
    } finally {
      await rm(path.join(root, 'good', 'migrations', '0002-more.yml'))
    }
  })

  test('spec may be named relative to the migrations folder; allowMissingEnv: false drops the flag', async () => {
    const { cli, calls } = recordingCli()
    await captureStdout(() =>
      migrateLintExecutor(
        { migrationsDir: 'good/migrations', spec: '0001-shop.yaml', allowMissingEnv: false },
        contextFor(root),
        cli,
      ),
    )
    assert.deepEqual(calls, [['node', 'pgshift', 'lint', 'good/migrations/0001-shop.yaml']])
  })

  test('lint is meant to be cached: cache: true does not stop it', async () => {
    const context = contextFor(root)
    context.target = { executor: '@pgshift/nx-plugin:migrate-lint', cache: true }
    const { cli, calls } = recordingCli()
    const { value } = await captureStdout(() =>
      migrateLintExecutor({ migrationsDir: 'good/migrations' }, context, cli),
    )
    assert.deepEqual(value, { success: true })
    assert.equal(calls.length, 1)
  })

  test('a missing folder fails cleanly', async () => {
    const { value } = await captureStdout(() =>
      migrateLintExecutor({ migrationsDir: 'nowhere' }, contextFor(root)),
    )
    assert.deepEqual(value, { success: false })
  })
})
