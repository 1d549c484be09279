import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, test } from 'node:test'
import { createTestDatabase, withClient } from '../../../../../test/support/test-databases.js'
import { main } from '../main.js'

async function pgshift(args: string[]) {
  let stdout = ''
  let stderr = ''
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk))
        done()
      },
    })
  const code = await main(['node', 'pgshift', ...args], {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env: {},
    cwd: process.cwd(),
  })
  return { code, stdout, stderr }
}

describe('pgshift diff', () => {
  test('equal schemas print nothing and exit 0; a difference prints the DDL', async (t) => {
    const source = await createTestDatabase(t, 'source')
    const destination = await createTestDatabase(t, 'destination')
    const equal = await pgshift(['diff', '--source', source.url, '--destination', destination.url])
    assert.deepEqual(equal, { code: 0, stdout: '', stderr: '' })
    await withClient(source.url, (client) =>
      client.query('CREATE TABLE "Order Items" (id int PRIMARY KEY, "sElEcT" text)'),
    )
    const different = await pgshift(['diff', '--source', source.url, '--destination', destination.url])
    assert.equal(different.code, 0, different.stderr)
    assert.match(different.stdout, /CREATE TABLE public\."Order Items" \(/)
    assert.match(different.stdout, /"sElEcT" text/)
  })

  test('--schema limits the comparison', async (t) => {
    const source = await createTestDatabase(t, 'source')
    const destination = await createTestDatabase(t, 'destination')
    await withClient(source.url, (client) =>
      client.query('CREATE SCHEMA a; CREATE TABLE a.t (id int); CREATE SCHEMA b; CREATE TABLE b.t (id int)'),
    )
    const result = await pgshift([
      'diff', '--source', source.url, '--destination', destination.url, '--schema', 'b',
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /CREATE TABLE b\.t/)
    assert.doesNotMatch(result.stdout, /\ba\.t\b/)
  })

  test('an unreachable destination exits 3, names the host, hides the password', async (t) => {
    const source = await createTestDatabase(t, 'source')
    const result = await pgshift([
      'diff', '--source', source.url, '--destination', 'postgres://app:Sup3rSecret@127.0.0.1:1/x',
    ])
    assert.equal(result.code, 3)
    assert.match(result.stderr, /^pgshift diff: cannot connect to the destination database x at 127\.0\.0\.1:1: /)
    assert.doesNotMatch(result.stderr, /Sup3rSecret/)
  })

  test('a malformed URL is a usage error that does not echo it', async () => {
    const result = await pgshift(['diff', '--source', 'mysql://root:pw@h/db', '--destination', 'postgres://h/db'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--source is not a usable PostgreSQL URL: it must start with postgres:\/\//)
    assert.doesNotMatch(result.stderr, /pw@/)
  })
})
