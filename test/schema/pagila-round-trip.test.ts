import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import { dumpSchema, runSql, runSqlFile } from '../support/client-tools.js'
import { createTestDatabase } from '../support/test-databases.js'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'
import { sharedFixture } from '../support/shared-fixtures.js'

const PAGILA_SCHEMA = sharedFixture('pagila', 'pagila-schema.sql')

function pgshiftDiff(source: string, destination: string) {
  const result = spawnSync(
    process.execPath,
    [path.join(WORKSPACE_ROOT, 'packages', 'core', 'bin', 'pgshift.js'), 'diff', '--source', source, '--destination', destination],
    { encoding: 'utf8', timeout: 120_000 },
  )
  assert.equal(result.status, 0, result.stderr)
  return result.stdout
}

test('pagila: pgshift diff into an empty database reproduces the schema, then prints nothing', async (t) => {
  const source = await createTestDatabase(t, 'source')
  const destination = await createTestDatabase(t, 'destination')
  runSqlFile(source.url, PAGILA_SCHEMA)

  const script = pgshiftDiff(source.url, destination.url)
  assert.match(script, /CREATE TABLE public\.rental/)
  runSql(destination.url, script)

  assert.equal(dumpSchema(destination.url), dumpSchema(source.url))
  assert.equal(pgshiftDiff(source.url, destination.url), '', 'a second diff is empty')
})
