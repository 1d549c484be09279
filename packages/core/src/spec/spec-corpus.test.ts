import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { loadSpecText } from './load-spec.js'
import { formatProblem } from './spec-problem.js'

// Every file of the broken corpus with the exact problems lint prints for it.
const corpus = join(__dirname, '..', '..', 'test-fixtures', 'specs', 'broken')
const expected = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as Record<
  string,
  [code: string, line: string][]
>

// the fixed environment of the corpus; MISSING_* and ALERT_WEBHOOK_URL are deliberately unset
const CORPUS_ENV = {
  SOURCE_DATABASE_URL: 'postgres://app:s3cret@db.example:5432/sales',
  TARGET_DATABASE_URL: 'postgres://app@eu.example/sales',
  NOT_A_URL: 'mysql://root:pw@db.example/sales',
  UNENCODED_PASSWORD: 'p@ss/word',
}

const files = readdirSync(corpus)
  .filter((name) => name.endsWith('.yaml'))
  .sort()

describe('broken spec corpus', () => {
  test('holds at least 30 files, each with its expected problems', () => {
    assert.ok(files.length >= 30, `only ${files.length} files`)
    assert.deepEqual(Object.keys(expected).sort(), files)
  })

  for (const name of files) {
    test(name, async () => {
      const text = readFileSync(join(corpus, name), 'utf8')
      const { spec, problems } = await loadSpecText(text, `broken/${name}`, { env: CORPUS_ENV })
      const actual = problems.map((problem) => [problem.code, formatProblem(problem)])
      assert.deepEqual(actual, expected[name])
      const hasError = problems.some((problem) => problem.severity === 'error')
      assert.equal(spec === undefined, hasError, 'spec is present exactly when nothing is an error')
      // no message may leak a password of the environment
      for (const problem of problems) {
        assert.doesNotMatch(problem.message, /s3cret|p@ss\/word|root:pw/u)
      }
    })
  }
})
