import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseSize } from './parse-size.js'

describe('parseSize', () => {
  const valid: [number | string, number][] = [
    [0, 0],
    [1048576, 1_048_576],
    ['512', 512],
    ['512B', 512],
    ['64kB', 64_000],
    ['64KB', 64_000],
    ['512MB', 512_000_000],
    ['1GB', 1_000_000_000],
    ['2TB', 2_000_000_000_000],
    ['64KiB', 65_536],
    ['512MiB', 536_870_912],
    ['1GiB', 1_073_741_824],
    ['2TiB', 2_199_023_255_552],
  ]
  for (const [value, bytes] of valid) {
    test(`${JSON.stringify(value)} is ${bytes} bytes`, () => assert.equal(parseSize(value), bytes))
  }

  const invalid: (number | string)[] = [
    -1, 1.5, Number.NaN, '', '1 GB', '10mb', '1.5GiB', '-1MB', '1gib', 'GiB', '1KiBs', '1kiB',
  ]
  for (const value of invalid) {
    test(`${JSON.stringify(value)} is not a size`, () => assert.equal(parseSize(value), undefined))
  }

  test('refuses sizes too large for a safe integer', () => {
    assert.equal(parseSize('99999999TiB'), undefined)
    assert.equal(parseSize(2 ** 60), undefined)
  })
})
