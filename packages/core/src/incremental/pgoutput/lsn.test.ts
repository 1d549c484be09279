import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_LSN, formatLsn, parseLsn } from './lsn.js'

test('parseLsn reads unpadded and zero-padded text', () => {
  assert.equal(parseLsn('0/0'), 0n)
  assert.equal(parseLsn('16/B374D848'), 0x16_b374d848n)
  assert.equal(parseLsn('00000016/b374d848'), 0x16_b374d848n)
  assert.equal(parseLsn('FFFFFFFF/FFFFFFFF'), MAX_LSN)
})

test('parseLsn refuses what is not an LSN', () => {
  for (const text of ['', '0', '0/', '/0', '1/2/3', '123456789/0', 'G/0', ' 0/0', '-1/0']) {
    assert.throws(() => parseLsn(text), TypeError, text)
  }
})

test('formatLsn prints as PostgreSQL does, and round-trips', () => {
  assert.equal(formatLsn(0n), '0/0')
  assert.equal(formatLsn(0x16_b374d848n), '16/B374D848')
  assert.equal(formatLsn(0xan), '0/A')
  assert.equal(formatLsn(MAX_LSN), 'FFFFFFFF/FFFFFFFF')
  for (const lsn of [1n, 0xffff_ffffn, 0x1_0000_0000n, 0x8000_0000_0000_0000n]) assert.equal(parseLsn(formatLsn(lsn)), lsn)
  assert.throws(() => formatLsn(-1n), RangeError)
  assert.throws(() => formatLsn(MAX_LSN + 1n), RangeError)
})
