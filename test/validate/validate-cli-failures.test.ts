import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { main } from '../../packages/core/src/cli/main.js'
import { freePort } from '../support/free-port.js'

async function validate(specText: string, args: readonly string[] = []) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pgshift-validate-cli-'))
  try {
    await writeFile(path.join(dir, 'spec.yaml'), specText)
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    const out: string[] = []
    const err: string[] = []
    stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()))
    stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()))
    const code = await main(['node', 'pgshift', 'validate', '--spec', 'spec.yaml', ...args], {
      stdout,
      stderr,
      env: {},
      cwd: dir,
    })
    return { code, stdout: out.join(''), stderr: err.join('') }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const spec = (port: number, extra = '') =>
  [
    'apiVersion: pgshift/v1',
    'kind: Migration',
    'metadata: { name: cli-failures }',
    `source: { url: "postgres://app:hunter2@127.0.0.1:${port}/sales" }`,
    `destination: { url: "postgres://app:hunter2@127.0.0.1:${port}/sales_eu" }`,
    extra,
  ].join('\n')

test('validate: a spec with errors exits 2 with file:line:col; an unreachable database exits 3 without the password', async () => {
  const port = await freePort()
  const broken = await validate(spec(port, 'optionz: {}'))
  assert.equal(broken.code, 2, broken.stderr)
  assert.match(broken.stderr, /^spec\.yaml:6:1: /m)
  assert.equal(broken.stdout, '')

  const unreachable = await validate(spec(port))
  assert.equal(unreachable.code, 3, unreachable.stderr)
  assert.match(unreachable.stderr, new RegExp(`^pgshift validate: cannot connect to the source database sales at 127\\.0\\.0\\.1:${port}: connection refused`, 'm'))
  assert.doesNotMatch(unreachable.stderr, /hunter2/)

  const usage = await validate(spec(port), ['--max-keys', '0'])
  assert.equal(usage.code, 2)
  assert.match(usage.stderr, /--max-keys/)
})

test('validate --help explains what is compared and the exit codes', async () => {
  const help = await validate(spec(1), ['--help'])
  assert.equal(help.code, 0)
  assert.match(help.stdout, /--format <format>/)
  assert.match(help.stdout, /--max-keys <n>/)
  assert.match(help.stdout, /Exit status: 0 equal, 1 a difference found, 2 usage or spec error, 3 a database failed\./)
})
