import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AsyncQueue } from './async-queue.js'

test('items come out in order, to waiting and to later consumers alike', async () => {
  const queue = new AsyncQueue<number>()
  const waiting = queue.shift()
  queue.push(1)
  queue.push(2)
  queue.push(3)
  assert.equal(await waiting, 1)
  assert.equal(queue.size, 2)
  assert.equal(await queue.shift(), 2)
  assert.equal(await queue.shift(), 3)
})

test('after fail, queued items first, then the error; the first settle wins', async () => {
  const queue = new AsyncQueue<string>()
  queue.push('a')
  queue.fail(new Error('lost'))
  queue.end()
  queue.push('ignored')
  assert.equal(await queue.shift(), 'a')
  await assert.rejects(queue.shift(), /lost/)
  await assert.rejects(queue.shift(), /lost/)
  const waiting = new AsyncQueue<string>()
  const pending = waiting.shift()
  waiting.fail(new Error('gone'))
  await assert.rejects(pending, /gone/)
})

test('end gives null to waiters; end(true) drops what is queued', async () => {
  const queue = new AsyncQueue<number>()
  const pending = queue.shift()
  queue.end()
  assert.equal(await pending, null)
  const dropping = new AsyncQueue<number>()
  dropping.push(1)
  dropping.end(true)
  assert.equal(await dropping.shift(), null)
  assert.equal(dropping.size, 0)
})
