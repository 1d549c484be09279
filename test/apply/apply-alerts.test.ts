import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { test } from 'node:test'
import type { AlertPayload } from '../../packages/core/src/alerts/index.js'
import { withClient } from '../support/test-databases.js'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'
import { createApplyPair, writeSpec } from './apply-kit.js'

const BIN = path.join(WORKSPACE_ROOT, 'packages', 'core', 'bin', 'pgshift.js')
const PASSWORD = 'hunter2-pw'
const TOKEN = 'T0KEN-s3cret'

function withPassword(url: string): string {
  const parsed = new URL(url)
  parsed.password = PASSWORD
  return parsed.toString()
}

test('a copy that fails for good posts failure alerts to the webhook: the unit, then the apply, with no secret in them', async (t) => {
  const pair = await createApplyPair(t)
  await withClient(pair.source.url, (client) =>
    client.query(`
      CREATE TABLE orders (id int PRIMARY KEY, amount numeric NOT NULL);
      INSERT INTO orders SELECT i, i * 1.5 FROM generate_series(1, 2000) AS i;
      ANALYZE;`),
  )
  // the destination's table (the spec migrates data only) refuses one of the source's rows
  await withClient(pair.destination.url, (client) =>
    client.query('CREATE TABLE orders (id int PRIMARY KEY, amount numeric NOT NULL CONSTRAINT no_big_orders CHECK (amount < 2000))'),
  )

  const received: AlertPayload[] = []
  const requests: string[] = []
  const server = createServer(async (request, response) => {
    let body = ''
    for await (const chunk of request) body += String(chunk)
    requests.push(`${request.method} ${request.url} ${request.headers['content-type']}`)
    received.push(JSON.parse(body) as AlertPayload)
    response.writeHead(204).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    server.closeAllConnections()
    server.close()
  })
  const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${TOKEN}`

  const spec = await writeSpec(
    pair,
    'types: [full]\nconflicts: ignore\noptions: { retry: { other: 1s }, alerts: { maxLagSeconds: 30, webhook: "${ALERT_WEBHOOK_URL}" } }',
    'alert-test',
  )
  // conflicts: ignore copies into the existing table, which prechecks warn about
  const child = spawn(process.execPath, [BIN, 'apply', '--spec', spec, '--ignore-warnings'], {
    env: {
      ...process.env,
      SOURCE_URL: withPassword(pair.source.url),
      TARGET_URL: withPassword(pair.destination.url),
      ALERT_WEBHOOK_URL: webhook,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(() => child.kill('SIGKILL'))
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)))

  assert.equal(code, 3, `${stdout}\n${stderr}`)
  assert.match(stdout, new RegExp(`^alerts: posting lag above 30 s, failures to http://127\\.0\\.0\\.1:\\d+/\\*\\*\\*$`, 'm'))
  assert.match(stderr, /no_big_orders/)
  // the process waits for its alerts before it exits
  assert.deepEqual(
    received.map((payload) => payload.kind),
    ['failure', 'failure'],
  )
  assert.ok(requests.every((request) => request === `POST /hooks/${TOKEN} application/json`), requests.join('\n'))
  const [unit, apply] = received
  assert.equal(unit?.migration, 'alert-test')
  assert.equal(unit?.details.phase, 'full')
  assert.equal(unit?.details.table, 'public.orders')
  assert.equal(unit?.details.code, '23514')
  assert.match(String(unit?.details.error), /violates check constraint "no_big_orders"/)
  assert.ok(Number(unit?.details.attempts) >= 2, 'retried before giving up')
  assert.match(unit?.text ?? '', /^pgshift alert-test: copying public\.orders failed after \d+ attempts: /)
  assert.equal(apply?.details.phase, 'full')
  assert.equal(apply?.details.code, 'FULL_COPY_FAILED')
  assert.equal(apply?.details.exitCode, 3)
  assert.match(apply?.text ?? '', /^pgshift alert-test: apply failed in full: copying data: 1 of 1 units failed/)
  for (const payload of received) {
    assert.ok(!Number.isNaN(Date.parse(payload.timestamp)))
    assert.deepEqual(Object.keys(payload).sort(), ['details', 'kind', 'migration', 'text', 'timestamp'])
  }
  for (const text of [JSON.stringify(received), stdout, stderr]) {
    assert.ok(!text.includes(PASSWORD), 'no database password')
    assert.ok(!text.includes(TOKEN), 'no webhook token')
  }
})
