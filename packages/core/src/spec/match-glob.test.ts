import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { checkGlob, matchGlob } from './match-glob.js'

describe('checkGlob', () => {
  test('accepts names with * and ?', () => {
    for (const glob of ['tmp_*', 'backup_????', '*', 'orders', 'a.b*', 'x-y+z(1)']) {
      assert.equal(checkGlob(glob), undefined, glob)
    }
  })

  test('refuses the wildcards of other glob dialects', () => {
    assert.equal(checkGlob('log_[0-9]'), 'only * and ? are wildcards, "[" is not allowed')
    assert.equal(checkGlob('{a,b}'), 'only * and ? are wildcards, "{" is not allowed')
    assert.equal(checkGlob('a\\*'), 'only * and ? are wildcards, "\\" is not allowed')
    assert.equal(checkGlob('!keep'), 'only * and ? are wildcards, a leading "!" is not allowed')
    assert.equal(checkGlob(''), 'it is empty')
  })
})

describe('matchGlob', () => {
  const cases: [string, string, boolean][] = [
    ['tmp_*', 'tmp_orders', true],
    ['tmp_*', 'tmp_', true],
    ['tmp_*', 'orders_tmp', false],
    ['backup_????', 'backup_2024', true],
    ['backup_????', 'backup_24', false],
    ['a.b*', 'a.bc', true],
    ['a.b*', 'axbc', false],
    ['x+(y)', 'x+(y)', true],
    ['*', 'Any Name', true],
    ['line*', 'line\nbreak', true],
  ]
  for (const [glob, name, expected] of cases) {
    test(`${glob} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(name)}`, () => {
      assert.equal(matchGlob(glob, name), expected)
    })
  }
})
