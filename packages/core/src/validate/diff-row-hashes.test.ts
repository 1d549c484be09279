import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { diffRowHashes, DifferingRows } from './diff-row-hashes.js'

describe('row hash comparison', () => {
  test('missing, extra and changed keys, in key order', () => {
    const source = [['3', 'h3'], ['1', 'h1'], ['2', 'h2'], ['10', 'h10']]
    const destination = [['1', 'h1'], ['2', 'x2'], ['4', 'h4'], ['10', 'h10']]
    assert.deepEqual(diffRowHashes(source, destination, 1), [
      { key: ['2'], source: 'h2', destination: 'x2' },
      { key: ['3'], source: 'h3', destination: null },
      { key: ['4'], source: null, destination: 'h4' },
    ])
  })

  test('composite keys are matched as whole tuples', () => {
    const source = [['1', 'a', 'h'], ['1', 'b', 'h']]
    const destination = [['1', 'b', 'h'], ['1b', '', 'h']]
    assert.deepEqual(diffRowHashes(source, destination, 2), [
      { key: ['1', 'a'], source: 'h', destination: null },
      { key: ['1b', ''], source: null, destination: 'h' },
    ])
  })

  test('a key seen missing in one range and extra in another cancels out, or becomes a change', () => {
    const rows = new DifferingRows()
    rows.add([{ key: ['a'], source: 'h', destination: null }, { key: ['b'], source: 'h1', destination: null }])
    rows.add([{ key: ['a'], source: null, destination: 'h' }, { key: ['b'], source: null, destination: 'h2' }])
    rows.add([{ key: ['c'], source: null, destination: 'h' }])
    assert.deepEqual(rows.list(), [
      { kind: 'changed', key: ['b'] },
      { kind: 'extra', key: ['c'] },
    ])
  })
})
