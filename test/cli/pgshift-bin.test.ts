import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { describe, test } from 'node:test'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'

// The contract: after `npm ci` at the repo root, `npx pgshift <command>` works with no build.
function npxPgshift(args: string[], env: Record<string, string> = {}) {
  return spawnSync('npx', ['--no-install', 'pgshift', ...args], {
    cwd: WORKSPACE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  })
}

describe('npx pgshift', () => {
  test('--help works without a build step', () => {
    const result = npxPgshift(['--help'])
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /Usage: pgshift \[options\] \[command\]/)
    assert.match(result.stdout, /^ {2}lint \[options\] \[specs\.\.\.\]/m)
  })

  test('--version prints the package version', () => {
    const result = npxPgshift(['--version'])
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout.trim(), /^\d+\.\d+\.\d+/)
  })

  test('lint passes on the example specs in migrations/', () => {
    const specs = readdirSync(`${WORKSPACE_ROOT}/migrations`)
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => `migrations/${name}`)
    assert.ok(specs.length >= 2, 'the example project has specs')
    const result = npxPgshift(['lint', ...specs], {
      SOURCE_DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:5432/sales',
      TARGET_DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:5433/sales',
    })
    assert.equal(result.status, 0, result.stdout + result.stderr)
    assert.match(result.stdout, new RegExp(`^${specs.length} spec files checked: no problems$`, 'm'))
    assert.doesNotMatch(result.stdout + result.stderr, /hunter2/)
  })

  test('a broken spec exits 1 with file:line:col lines', () => {
    const result = npxPgshift(['lint', 'packages/core/src/cli/testdata/broken-unknown-key.yaml'])
    assert.equal(result.status, 1, result.stdout + result.stderr)
    assert.match(result.stdout, /^packages\/core\/src\/cli\/testdata\/broken-unknown-key\.yaml:7:3: /m)
  })
})
