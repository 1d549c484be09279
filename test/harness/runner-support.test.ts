import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { collectTestFiles } from '../support/collect-test-files.js'
import { parseTapSummary, summaryLine } from '../support/tap-summary.js'

test('collects *.test.ts files recursively, sorted, skipping node_modules, dist and dot-dirs', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'pgshift-collect-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const touch = (path: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), '')
  }
  for (const path of [
    'packages/b/src/z.test.ts',
    'packages/b/src/deep/a.test.ts',
    'packages/a/src/x.test.ts',
    'packages/a/src/x.ts',
    'packages/a/src/node_modules/dep/n.test.ts',
    'packages/a/src/dist/d.test.ts',
    'packages/a/src/.cache/c.test.ts',
    'packages/c/README.md',
    'test/e2e/flow.test.ts',
  ]) {
    touch(path)
  }

  const all = collectTestFiles(root, ['packages/*/src', 'test'])
  assert.deepEqual(
    all.files.map((file) => file.slice(root.length + 1)),
    ['packages/a/src/x.test.ts', 'packages/b/src/deep/a.test.ts', 'packages/b/src/z.test.ts', 'test/e2e/flow.test.ts'],
  )
  assert.deepEqual(all.missing, [])

  const one = collectTestFiles(root, ['packages/b', 'packages/b/src/z.test.ts'])
  assert.equal(one.files.length, 2, 'duplicates collapse')
  assert.deepEqual(collectTestFiles(root, ['packages/c']).files, [])
  assert.deepEqual(collectTestFiles(root, ['packages/nope']).missing, ['packages/nope'])
})

test('reads the final TAP counters and refuses a truncated report', () => {
  const tap = ['TAP version 13', '# Subtest: x', 'ok 1 - x', '# pass 0', '1..1', '# tests 5', '# suites 0', '# pass 3', '# fail 1', '# cancelled 1', '# skipped 2', '# todo 0', '# duration_ms 12.5', ''].join('\n')
  assert.deepEqual(parseTapSummary(tap), { tests: 5, pass: 3, fail: 1, cancelled: 1, skipped: 2, todo: 0 })
  assert.equal(parseTapSummary('TAP version 13\n# Subtest: x\nok 1 - x\n'), undefined)
  assert.equal(summaryLine(3, 2), '3 passed, 2 failed')
  assert.equal(summaryLine(3, 0, 2), '3 passed, 0 failed, 2 skipped')
})
