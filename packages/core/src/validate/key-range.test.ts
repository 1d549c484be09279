import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compareKeyTuples, rangePredicate, sampleBoundaries, splitIntegerSpan, splitRange, WHOLE_TABLE } from './key-range.js'

describe('key ranges', () => {
  test('predicates: open ends, untyped literals, row comparison for composite keys', () => {
    assert.equal(rangePredicate(['id'], WHOLE_TABLE), null)
    assert.equal(rangePredicate(['id'], { lower: ['10'], upper: null }), "id >= '10'")
    assert.equal(rangePredicate(['id'], { lower: null, upper: ['20'] }), "id < '20'")
    assert.equal(
      rangePredicate(['a', '"B"'], { lower: ['1', "o'k"], upper: ['2', ''] }),
      `(a, "B") >= ('1', 'o''k') AND (a, "B") < ('2', '')`,
    )
  })

  test('splitRange covers the range exactly and drops repeated or outer boundaries', () => {
    assert.deepEqual(splitRange(WHOLE_TABLE, [['5'], ['5'], ['9']]), [
      { lower: null, upper: ['5'] },
      { lower: ['5'], upper: ['9'] },
      { lower: ['9'], upper: null },
    ])
    assert.deepEqual(splitRange({ lower: ['1'], upper: ['9'] }, [['1'], ['4'], ['9']]), [
      { lower: ['1'], upper: ['4'] },
      { lower: ['4'], upper: ['9'] },
    ])
    assert.deepEqual(splitRange({ lower: ['1'], upper: ['2'] }, []), [{ lower: ['1'], upper: ['2'] }])
  })

  test('integer spans: equal widths, open outer ranges, never more ranges than values', () => {
    assert.deepEqual(splitIntegerSpan(1n, 100n, 4), [
      { lower: null, upper: ['26'] },
      { lower: ['26'], upper: ['51'] },
      { lower: ['51'], upper: ['76'] },
      { lower: ['76'], upper: null },
    ])
    assert.equal(splitIntegerSpan(1n, 3n, 10).length, 3)
    assert.deepEqual(splitIntegerSpan(5n, 5n, 10), [WHOLE_TABLE])
    assert.deepEqual(splitIntegerSpan(-9223372036854775808n, 9223372036854775807n, 2), [
      { lower: null, upper: ['0'] },
      { lower: ['0'], upper: null },
    ])
  })

  test('sample boundaries at even positions', () => {
    const sample = Array.from({ length: 10 }, (_, i) => [`k${i}`])
    assert.deepEqual(sampleBoundaries(sample, 5), [['k2'], ['k4'], ['k6'], ['k8']])
    assert.deepEqual(sampleBoundaries([], 5), [])
    assert.deepEqual(sampleBoundaries(sample, 1), [])
  })

  test('keys order as integers when they are, else by code unit', () => {
    const keys = [['10'], ['9'], ['-3'], ['b'], ['B']]
    assert.deepEqual([...keys].sort(compareKeyTuples), [['-3'], ['9'], ['10'], ['B'], ['b']])
    assert.equal(compareKeyTuples(['1', '2'], ['1', '10']), -1)
  })
})
