import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import type { CliIo } from './cli-io.js'
import { main } from './main.js'

interface Captured {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  return { stream, text: () => chunks.join('') }
}

async function run(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<Captured> {
  const stdout = collector()
  const stderr = collector()
  const io: CliIo = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  }
  const code = await main(['node', 'pgshift', ...args], io)
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}

const GOOD_SPEC = `apiVersion: pgshift/v1
kind: Migration
metadata:
  name: orders-copy
source:
  url: \${SOURCE_DATABASE_URL}
destination:
  url: \${TARGET_DATABASE_URL}
types: [schema, full]
`

const BROKEN_SPEC = `apiVersion: pgshift/v1
kind: Migration
metadata:
  name: orders-copy
source:
  url: postgres://app@db.example/sales
  prot: 5432
destination:
  url: postgres://app@db.example/sales_eu
types: []
`

const ENV = {
  SOURCE_DATABASE_URL: 'postgres://app:s3cret-source@127.0.0.1:5432/sales',
  TARGET_DATABASE_URL: 'postgres://app:s3cret-target@127.0.0.1:5433/sales',
}

describe('pgshift CLI', () => {
  let workspace: string

  before(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), 'pgshift-cli-'))
    await mkdir(path.join(workspace, 'apps', 'shop', 'migrations'), { recursive: true })
    await writeFile(path.join(workspace, 'apps', 'shop', 'migrations', '0001-good.yaml'), GOOD_SPEC)
    await writeFile(path.join(workspace, 'broken.yaml'), BROKEN_SPEC)
  })

  after(async () => {
    await rm(workspace, { recursive: true, force: true })
  })

  test('--help lists every command of the contract and exits 0', async () => {
    const result = await run(['--help'])
    assert.equal(result.code, 0)
    for (const command of ['lint', 'plan', 'apply', 'status', 'validate', 'cutover', 'diff', 'demo']) {
      assert.match(result.stdout, new RegExp(`^  ${command}\\b`, 'm'), command)
    }
  })

  test('no arguments prints help and exits 2', async () => {
    const result = await run([])
    assert.equal(result.code, 2)
    assert.match(result.stdout, /Usage: pgshift/)
  })

  test('an unknown command is a usage error (exit 2)', async () => {
    const result = await run(['migrate'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /unknown command 'migrate'/)
  })

  test('cutover and abort name a spec file that is not there, and exit 2; a bad --timeout is a usage error', async () => {
    for (const args of [['cutover', '--spec', 's.yaml', '--timeout', '5m', '--revoke-writes', 'app'], ['abort', '--spec', 's.yaml']]) {
      const result = await run(args)
      assert.equal(result.code, 2, args.join(' '))
      assert.match(result.stderr, /^s\.yaml:\d+:\d+: /m, args.join(' '))
    }
    const bad = await run(['cutover', '--spec', 's.yaml', '--timeout', 'soon'])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /expected a duration/)
  })

  test('plan, apply and status name a spec file that is not there, and exit 2 before connecting anywhere', async () => {
    for (const args of [['plan', '--spec', 's.yaml'], ['apply', '--spec', 's.yaml', '--yes'], ['status', '--spec', 's.yaml']]) {
      const result = await run(args)
      assert.equal(result.code, 2, args.join(' '))
      assert.match(result.stderr, /^s\.yaml:\d+:\d+: /m, args.join(' '))
      assert.match(result.stderr, new RegExp(`pgshift ${args[0]}: the spec has errors; nothing was done`))
    }
  })

  test('contract options are parsed before refusing: a missing --spec is named', async () => {
    const result = await run(['plan'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /required option '--spec <file>' not specified/)
  })

  test('lint passes a clean spec with exit 0', async () => {
    const result = await run(['lint', 'apps/shop/migrations/0001-good.yaml'], {
      cwd: workspace,
      env: ENV,
    })
    assert.equal(result.stderr, '')
    assert.equal(result.code, 0)
    assert.equal(result.stdout, '1 spec file checked: no problems\n')
  })

  test('lint without arguments finds every migrations/*.yaml below the folder', async () => {
    const result = await run(['lint', '--format', 'json'], { cwd: workspace, env: ENV })
    assert.equal(result.code, 0)
    const report = JSON.parse(result.stdout) as { files: { file: string }[] }
    assert.deepEqual(
      report.files.map((entry) => entry.file),
      ['apps/shop/migrations/0001-good.yaml'],
    )
  })

  test('lint reports every problem as file:line:col: message and exits 1', async () => {
    const result = await run(['lint', 'broken.yaml'], { cwd: workspace, env: ENV })
    assert.equal(result.code, 1)
    const lines = result.stdout.trimEnd().split('\n')
    const problems = lines.slice(0, -1)
    assert.ok(problems.length >= 2, result.stdout)
    for (const line of problems) assert.match(line, /^broken\.yaml:\d+:\d+: \S/)
    assert.ok(problems.some((line) => line.startsWith('broken.yaml:7:3: ')), result.stdout)
    assert.ok(problems.some((line) => line.startsWith('broken.yaml:10:')), result.stdout)
    assert.match(lines.at(-1) ?? '', /^1 spec file checked: \d+ errors?/)
  })

  test('lint --format json carries codes and positions', async () => {
    const result = await run(['lint', '--format', 'json', 'broken.yaml'], {
      cwd: workspace,
      env: ENV,
    })
    assert.equal(result.code, 1)
    const report = JSON.parse(result.stdout) as {
      errorCount: number
      files: { problems: { line: number; column: number; code: string; severity: string }[] }[]
    }
    assert.ok(report.errorCount >= 2)
    const problems = report.files[0]?.problems ?? []
    assert.ok(problems.some((p) => p.line === 7 && p.column === 3 && p.severity === 'error'))
  })

  test('lint prints GitHub annotations when GITHUB_ACTIONS is set', async () => {
    const result = await run(['lint', 'broken.yaml'], {
      cwd: workspace,
      env: { ...ENV, GITHUB_ACTIONS: 'true' },
    })
    assert.equal(result.code, 1)
    assert.match(result.stdout, /^::error file=broken\.yaml,line=7,col=3,title=pgshift lint \(/m)
  })

  test('a missing env variable fails lint unless --allow-missing-env', async () => {
    const strict = await run(['lint', 'apps/shop/migrations/0001-good.yaml'], { cwd: workspace })
    assert.equal(strict.code, 1)
    assert.match(strict.stdout, /:6:\d+: .*SOURCE_DATABASE_URL/)
    const relaxed = await run(
      ['lint', '--allow-missing-env', 'apps/shop/migrations/0001-good.yaml'],
      { cwd: workspace },
    )
    assert.equal(relaxed.code, 0, relaxed.stdout)
  })

  test('lint output never contains a password from the environment', async () => {
    const result = await run(['lint', '--format', 'json', 'apps/shop/migrations/0001-good.yaml'], {
      cwd: workspace,
      env: ENV,
    })
    assert.doesNotMatch(result.stdout + result.stderr, /s3cret/)
  })

  test('a path that does not exist is a usage error naming it', async () => {
    const result = await run(['lint', 'nope.yaml'], { cwd: workspace, env: ENV })
    assert.equal(result.code, 2)
    assert.match(result.stderr, /no such spec file or folder: nope\.yaml/)
  })
})
