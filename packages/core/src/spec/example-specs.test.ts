import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { loadSpecFile } from './load-spec.js'
import { formatProblem } from './spec-problem.js'

// the example project "db" dogfoods the spec format: its specs must stay clean
const migrations = join(__dirname, '..', '..', '..', '..', 'migrations')
const specs = readdirSync(migrations)
  .filter((name) => /^\d{4}-.*\.yaml$/u.test(name))
  .sort()

const env = {
  SOURCE_DATABASE_URL: 'postgres://app:s3cret@source.example:5432/app',
  TARGET_DATABASE_URL: 'postgres://app:s3cret@target.example:5432/app',
}

describe('example specs in migrations/', () => {
  test('include the whole-database and the selective example', () => {
    assert.ok(specs.includes('0001-whole-database.yaml'))
    assert.ok(specs.includes('0002-sales-to-eu.yaml'))
  })

  for (const name of specs) {
    const file = join(migrations, name)

    test(`${name} declares the published schema for editors`, () => {
      const [first] = readFileSync(file, 'utf8').split('\n')
      assert.equal(
        first,
        '# yaml-language-server: $schema=../packages/core/schema/pgshift-v1.schema.json',
      )
    })

    test(`${name} loads without problems with the database URLs set`, async () => {
      const { spec, problems } = await loadSpecFile(file, { env })
      assert.deepEqual(problems.map(formatProblem), [])
      assert.equal(spec?.source.url.reveal(), env.SOURCE_DATABASE_URL)
    })

    test(`${name} loads without problems offline (allowMissingEnv)`, async () => {
      const { spec, problems } = await loadSpecFile(file, { env: {}, allowMissingEnv: true })
      assert.deepEqual(problems.map(formatProblem), [])
      assert.ok(spec !== undefined)
    })
  }
})
