import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { describe, test } from 'node:test'
import { WebhookUrl } from '../spec/index.js'
import type { AlertPayload } from './alert-payload.js'
import { WebhookDelivery } from './webhook-delivery.js'

interface Received {
  readonly at: number
  readonly path: string
  readonly contentType: string | undefined
  readonly body: string
}

/** A local webhook answering each request with the next status of `statuses` (then 200). */
async function webhookServer(t: TestContext, statuses: number[], delayMs = 0): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = []
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    let body = ''
    for await (const chunk of request) body += String(chunk)
    received.push({ at: performance.now(), path: request.url ?? '', contentType: request.headers['content-type'], body })
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
    response.writeHead(statuses.shift() ?? 200).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T0KEN-s3cret`, received }
}

function payload(text: string): AlertPayload {
  return { migration: 'm', kind: 'failure', timestamp: '2026-01-02T03:04:05.000Z', text, details: {} }
}

describe('WebhookDelivery', () => {
  test('retries 5xx and 429 with growing back-off, then delivers once, in order', async (t) => {
    const hook = await webhookServer(t, [500, 503, 429])
    const problems: string[] = []
    const delivery = new WebhookDelivery({
      webhook: WebhookUrl.parse(hook.url),
      backoffMs: (failures) => 40 * 2 ** (failures - 1),
      onProblem: (message) => problems.push(message),
    })
    const started = performance.now()
    delivery.send(payload('first'))
    delivery.send(payload('second'))
    // send only queues
    assert.ok(performance.now() - started < 20)
    await delivery.close(5000)
    assert.deepEqual(
      hook.received.map((request) => JSON.parse(request.body).text),
      ['first', 'first', 'first', 'first', 'second'],
    )
    assert.deepEqual([...new Set(hook.received.map((request) => `${request.path} ${request.contentType}`))], ['/hooks/T0KEN-s3cret application/json'])
    const gaps = hook.received.slice(1, 4).map((request, index) => request.at - (hook.received[index]?.at ?? 0))
    assert.ok(gaps[0]! >= 35 && gaps[1]! >= 75 && gaps[2]! >= 155, `back-off doubles: ${gaps.map(Math.round).join(', ')} ms`)
    assert.equal(delivery.delivered, 2)
    assert.equal(delivery.failed, 0)
    assert.deepEqual(problems, [])
  })

  test('gives up after its tries, and on a 4xx at once; the problem names the webhook by origin only', async (t) => {
    const hook = await webhookServer(t, [500, 500, 500, 404])
    const problems: string[] = []
    const delivery = new WebhookDelivery({
      webhook: WebhookUrl.parse(hook.url),
      attempts: 3,
      backoffMs: () => 10,
      onProblem: (message) => problems.push(message),
    })
    delivery.send(payload('one'))
    delivery.send(payload('two'))
    await delivery.close(5000)
    assert.equal(hook.received.length, 4)
    assert.equal(delivery.failed, 2)
    const origin = new URL(hook.url).origin
    assert.deepEqual(problems, [
      `failure alert not delivered to ${origin}/***: 3 tries failed, last: HTTP 500`,
      `failure alert not delivered to ${origin}/***: refused, last: HTTP 404`,
    ])
  })

  test('an unreachable webhook or a slow one costs the caller nothing, and close waits only its grace time', async (t) => {
    const slow = await webhookServer(t, [], 2000)
    const problems: string[] = []
    const delivery = new WebhookDelivery({
      webhook: WebhookUrl.parse(slow.url),
      maxQueued: 2,
      onProblem: (message) => problems.push(message),
    })
    const started = performance.now()
    for (const text of ['a', 'b', 'c', 'd']) delivery.send(payload(text))
    assert.ok(performance.now() - started < 20)
    await delivery.close(300)
    const waited = performance.now() - started
    assert.ok(waited < 1000, `closed after ${Math.round(waited)} ms`)
    // 'a' went out at once; 'b' was dropped when 'd' arrived; 'a' abandoned, 'c' and 'd' never sent
    assert.equal(delivery.failed, 4)
    assert.equal(problems.length, 4)
    assert.match(problems[0] ?? '', /dropped: more than 2 alerts waiting/)
    assert.ok(problems.every((problem) => !problem.includes('T0KEN')))

    const refused = new WebhookDelivery({ webhook: WebhookUrl.parse('http://127.0.0.1:1/hook'), attempts: 2, backoffMs: () => 10 })
    refused.send(payload('x'))
    await refused.close(5000)
    assert.equal(refused.failed, 1)
  })
})
