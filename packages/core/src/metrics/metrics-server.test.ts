import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Counter, Registry } from 'prom-client'
import { startMetricsServer } from './metrics-server.js'

test('startMetricsServer: port 0 picks a free port on 127.0.0.1, serves /metrics, 404 elsewhere, closes with a scraper connected', async () => {
  const registry = new Registry()
  const counter = new Counter({ name: 'pgshift_test_total', help: 'test', registers: [registry] })
  counter.inc(3)
  const server = await startMetricsServer({ registry, port: 0 })
  assert.equal(server.host, '127.0.0.1')
  assert.ok(server.port > 0)
  assert.equal(server.url, `http://127.0.0.1:${server.port}/metrics`)
  const response = await fetch(server.url)
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  assert.match(await response.text(), /^pgshift_test_total 3$/m)
  assert.equal((await fetch(`http://127.0.0.1:${server.port}/`)).status, 404)
  assert.equal((await fetch(server.url, { method: 'POST' })).status, 405)
  // fetch keeps its connection alive; close must not wait for it
  await server.close()
  await assert.rejects(fetch(server.url))
})

test('startMetricsServer: a port in use is an error naming the address', async () => {
  const registry = new Registry()
  const first = await startMetricsServer({ registry, port: 0 })
  try {
    await assert.rejects(startMetricsServer({ registry, port: first.port }), {
      message: `cannot serve metrics on 127.0.0.1:${first.port}: EADDRINUSE`,
    })
  } finally {
    await first.close()
  }
})
