import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import type { TestContext } from 'node:test'
import { renderScript } from '@pgshift/schema-diff'
import { openDatabase } from '../../packages/core/src/pg/index.js'
import { diffDatabases } from '../../packages/core/src/schema/diff-databases.js'
import type { SchemaFilter } from '../../packages/core/src/schema/diff-databases.js'
import { ConnectionUrl } from '../../packages/core/src/spec/index.js'
import { dumpSchema, runSql, runSqlFile } from '../support/client-tools.js'
import { createTestDatabase, testClusters, withClient } from '../support/test-databases.js'
import { sharedFixture } from '../support/shared-fixtures.js'

// Third-party diff cases (migra's test suite): a.sql is the destination as it is, b.sql what it
// must become. pgshift's own plan must turn one into the other: the dumps match (column order
// aside, see withColumnsUnordered) and a second diff is empty. Privileges are not part of
// pgshift's schema model, so dumps leave them out.
const FIXTURES = sharedFixture('migra')

interface Meta {
  readonly roles?: readonly string[]
  readonly schema?: string
  readonly exclude_schema?: string
  /**
   * `extensions-superset` (singleschema_ext): upstream runs with --create-extensions-only and
   * only checks that B's extensions exist in A afterwards. pgshift has no such mode, so the
   * case gets the full diff like every other, which is stricter: the dumps must match (so A
   * also loses what B lacks), and the superset is asserted on its own as well.
   */
  readonly compare?: 'extensions-superset'
}

async function ensureRoles(roles: readonly string[]): Promise<void> {
  const clusters = await testClusters()
  for (const cluster of [clusters.source, clusters.destination]) {
    await withClient(cluster.url, async (client) => {
      for (const role of roles) {
        // parallel test files may race to create the same role
        await client.query(
          `DO $$ BEGIN CREATE ROLE ${role}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
        )
      }
    })
  }
}

/**
 * The dump with the lines inside each `CREATE TABLE ... (` block sorted. ALTER TABLE ADD
 * COLUMN can only append, so a column the destination lacks ends up last where the source
 * may declare it earlier (migra's expected scripts do the same); pgshift does not rebuild a
 * table to reorder its columns. Column order is thus the one difference allowed: the column
 * lines must still match one for one, and everything outside those blocks stays exact.
 */
function withColumnsUnordered(dump: string): string {
  const lines = dump.split('\n')
  const result: string[] = []
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at]!
    result.push(line)
    if (!/^CREATE (?:UNLOGGED |FOREIGN )?TABLE .* \($/.test(line)) continue
    const items: string[][] = []
    while (at + 1 < lines.length && !lines[at + 1]!.startsWith(')')) {
      const next = lines[++at]!
      // A column line starts with four spaces; a line without them continues the previous one.
      if (next.startsWith('    ') || items.length === 0) items.push([next])
      else items[items.length - 1]!.push(next)
    }
    const entries = items.map((item) => item.join('\n').replace(/,$/, '')).sort()
    const last = entries.length - 1
    result.push(...entries.map((entry, index) => (index < last ? `${entry},` : entry)))
  }
  return result.join('\n')
}

async function extensionVersions(url: string): Promise<Map<string, string>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ extname: string; extversion: string }>(
      'SELECT extname, extversion FROM pg_extension',
    )
    return new Map(rows.map((row) => [row.extname, row.extversion]))
  })
}

async function diffScript(source: string, destination: string, selection: SchemaFilter) {
  const sourceDb = await openDatabase(ConnectionUrl.parse(source), { role: 'source' })
  const destinationDb = await openDatabase(ConnectionUrl.parse(destination), { role: 'destination' })
  try {
    return renderScript((await diffDatabases(sourceDb, destinationDb, selection)).operations)
  } finally {
    await Promise.all([sourceDb.close(), destinationDb.close()])
  }
}

async function runCase(t: TestContext, name: string): Promise<void> {
  const dir = path.join(FIXTURES, name)
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta
  // A comparison mode this harness does not know would otherwise be silently ignored.
  assert.ok([undefined, 'extensions-superset'].includes(meta.compare), `compare: ${meta.compare}`)
  await ensureRoles(meta.roles ?? [])
  const source = await createTestDatabase(t, 'source')
  const destination = await createTestDatabase(t, 'destination')
  runSqlFile(destination.url, path.join(dir, 'a.sql'))
  runSqlFile(source.url, path.join(dir, 'b.sql'))
  const selection: SchemaFilter = {
    schemas: meta.schema === undefined ? undefined : [meta.schema],
    excludeSchemas: meta.exclude_schema === undefined ? undefined : [meta.exclude_schema],
  }
  const script = await diffScript(source.url, destination.url, selection)
  t.diagnostic(`${script.split(';\n').length - 1} statements`)
  runSql(destination.url, script)
  const dumpArgs = [
    ...(meta.schema === undefined ? [] : ['--schema', meta.schema]),
    ...(meta.exclude_schema === undefined ? [] : ['--exclude-schema', meta.exclude_schema]),
  ]
  assert.equal(
    withColumnsUnordered(dumpSchema(destination.url, dumpArgs)),
    withColumnsUnordered(dumpSchema(source.url, dumpArgs)),
  )
  if (meta.compare === 'extensions-superset') {
    const present = await extensionVersions(destination.url)
    for (const [name, version] of await extensionVersions(source.url)) {
      assert.equal(present.get(name), version, `extension ${name} ${version} exists in A`)
    }
  }
  assert.equal(await diffScript(source.url, destination.url, selection), '', 'a second diff is empty')
}

describe('migra fixture cases', () => {
  const cases = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  test('all 26 cases are present', () => assert.equal(cases.length, 26))
  for (const name of cases) {
    test(name, (t) => runCase(t, name))
  }
})
