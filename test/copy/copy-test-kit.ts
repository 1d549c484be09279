// Shared set-up of the full-copy tests: a source and a destination database, the destination
// schema built with pgshift's own schema step, a spec, and data comparisons done in SQL.
import assert from 'node:assert/strict'
import { specNameMapping } from '../../packages/core/src/selection/index.js'
import type { TestContext } from 'node:test'
import { applySchemaOperations, diffDatabases } from '../../packages/core/src/schema/index.js'
import { openDatabase } from '../../packages/core/src/pg/index.js'
import type { Database } from '../../packages/core/src/pg/index.js'
import { ConnectionUrl, loadSpecText } from '../../packages/core/src/spec/index.js'
import type { MigrationSpec } from '../../packages/core/src/spec/index.js'
import { createTestDatabase, withClient } from '../support/test-databases.js'
import type { TestDatabase } from '../support/test-databases.js'
import { sharedFixture } from '../support/shared-fixtures.js'
import { specText } from '../support/spec-text.js'

export const PAGILA = sharedFixture('pagila')

export interface CopyPair {
  readonly sourceDb: TestDatabase
  readonly destinationDb: TestDatabase
  readonly source: Database
  readonly destination: Database
}

/** Two empty databases with open pgshift pools, closed and dropped after the test. */
export async function createPair(t: TestContext): Promise<CopyPair> {
  const [sourceDb, destinationDb] = await Promise.all([
    createTestDatabase(t, 'source'),
    createTestDatabase(t, 'destination'),
  ])
  const [source, destination] = await Promise.all([
    openDatabase(ConnectionUrl.parse(sourceDb.url), { role: 'source', maxConnections: 4 }),
    openDatabase(ConnectionUrl.parse(destinationDb.url), { role: 'destination', maxConnections: 4 }),
  ])
  t.after(() => Promise.all([source.close(), destination.close()]))
  return { sourceDb, destinationDb, source, destination }
}

/** Spec text around `body` (objects/options YAML), with the pair's URLs from the environment. */
export async function loadSpec(pair: Pick<CopyPair, 'sourceDb' | 'destinationDb'>, body: string, name = 'copy-test'): Promise<MigrationSpec> {
  const text = specText(name, body)
  const { spec, problems } = await loadSpecText(text, 'copy-test.yaml', {
    env: { SOURCE_URL: pair.sourceDb.url, TARGET_URL: pair.destinationDb.url },
  })
  assert.ok(spec, JSON.stringify(problems, null, 2))
  return spec
}

/** Builds the destination schema's pre-data part (tables, types), as apply does before the copy. */
export async function createDestinationSchema(pair: CopyPair, spec?: MigrationSpec): Promise<void> {
  const diff = await diffDatabases(pair.source, pair.destination, {}, (spec === undefined ? {} : specNameMapping(spec)))
  await applySchemaOperations(pair.destination, diff.operations, { phase: 'pre-data' })
}

/** The post-data part (indexes, constraints, foreign keys, triggers). */
export async function finishDestinationSchema(pair: CopyPair, spec?: MigrationSpec): Promise<void> {
  const diff = await diffDatabases(pair.source, pair.destination, {}, (spec === undefined ? {} : specNameMapping(spec)))
  await applySchemaOperations(pair.destination, diff.operations, { phase: 'post-data' })
}

/** Row count and an order-independent checksum of a table (or of any query's rows). */
export async function fingerprint(url: string, relation: string): Promise<{ rows: string; md5: string | null }> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ rows: string; md5: string | null }>(
      `SELECT count(*)::text AS rows, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS md5 FROM ${relation} AS t`,
    )
    return rows[0] ?? { rows: '0', md5: null }
  })
}

/** Every ordinary table and partition of the schemas (not partitioned parents), qualified. */
export async function listTables(url: string, schemas: readonly string[]): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = ANY($1) ORDER BY 1`,
      [schemas],
    )
    return rows.map((row) => row.name)
  })
}

/** Asserts that each table holds the same rows on both sides (counts and checksums). */
export async function assertSameData(pair: Pick<CopyPair, 'sourceDb' | 'destinationDb'>, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    const [source, destination] = await Promise.all([
      fingerprint(pair.sourceDb.url, table),
      fingerprint(pair.destinationDb.url, table),
    ])
    assert.deepEqual(destination, source, `${table}: destination differs from source`)
  }
}
