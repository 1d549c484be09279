import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseDuration } from './parse-duration.js'

describe('parseDuration', () => {
  const valid: [string, number][] = [
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['12h', 43_200_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['0s', 0],
    ['90m', 5_400_000],
    ['1m500ms', 60_500],
  ]
  for (const [text, ms] of valid) {
    test(`${text} is ${ms} ms`, () => assert.equal(parseDuration(text), ms))
  }

  const invalid = [
    '', '12x', '30', '1h 30m', '30m1h', '1.5h', '-5m', '5M', '1hh', 'ms', '1s1s', ' 1s',
  ]
  for (const text of invalid) {
    test(`${JSON.stringify(text)} is not a duration`, () => {
      assert.equal(parseDuration(text), undefined)
    })
  }

  test('refuses a duration too large for a safe integer', () => {
    assert.equal(parseDuration('99999999999999999999d'), undefined)
  })
})
