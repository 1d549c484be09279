import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sequenceStatus } from './compare-sequences.js'

test('sequence positions: at or past the source is fine, short of it is behind, for both directions', () => {
  const at = (lastValue: string, isCalled = true) => ({ lastValue, isCalled })
  assert.equal(sequenceStatus(at('50'), at('50'), 1n), 'equal')
  assert.equal(sequenceStatus(at('50'), at('60'), 1n), 'ahead')
  assert.equal(sequenceStatus(at('50'), at('1', false), 1n), 'behind')
  // never called at 51 hands out 51 next: the same place as called at 50
  assert.equal(sequenceStatus(at('50'), at('51', false), 1n), 'equal')
  assert.equal(sequenceStatus(at('1', false), at('1', false), 1n), 'equal')
  assert.equal(sequenceStatus(at('1', false), at('1'), 1n), 'ahead')
  assert.equal(sequenceStatus(at('998'), at('1000', false), -1n), 'behind')
  assert.equal(sequenceStatus(at('998'), at('990'), -1n), 'ahead')
  assert.equal(sequenceStatus(at('9223372036854775806'), at('9223372036854775807'), 1n), 'ahead')
})
