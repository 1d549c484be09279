/**
 * Real PostgreSQL databases for tests: a source and a destination cluster, and a fresh
 * database per test on either of them.
 *
 * ```ts
 * import { test } from 'node:test'
 * import { createTestDatabase, withClient } from '../../test/support/test-databases.js'
 *
 * test('copies rows', async (t) => {
 *   const source = await createTestDatabase(t, 'source')       // dropped after the test
 *   const destination = await createTestDatabase(t, 'destination')
 *   await withClient(source.url, (client) => client.query('CREATE TABLE t (id int)'))
 * })
 * ```
 *
 * - `testClusters()`: `{ source, destination }` connection info. Under the suite runner
 *   (`npm test`) the clusters come from `PGSHIFT_TEST_SOURCE_URL` /
 *   `PGSHIFT_TEST_DESTINATION_URL`; a file run on its own
 *   (`node --import tsx --test path/to/x.test.ts`) starts two clusters on first use and
 *   stops them when the process exits.
 * - `createTestDatabase(t, side, options?)`: `CREATE DATABASE pgshift_t_<random> TEMPLATE
 *   template0` on that side; dropped `WITH (FORCE)` in `t.after` (pass `undefined` for `t`
 *   to own it yourself and call `drop()`).
 * - `withClient(url, fn)`: a connected `pg.Client` for the duration of `fn`.
 *
 * Servers: wal_level=logical, 20 replication slots and WAL senders, superuser `postgres`
 * with trust auth on 127.0.0.1 (replication connections included). Clusters are shared by
 * all test files of a run, so tests must only change their own databases (and their own
 * replication slots / publications, named after their database).
 */
import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import { Client } from 'pg'
import { cleanupLeftoverClusters } from './cluster-registry.js'
import { startCluster } from './local-cluster.js'

export type Side = 'source' | 'destination'

/** Connection info of one of the two shared test clusters. */
export interface TestCluster {
  side: Side
  host: string
  port: number
  /** Superuser URL of the `postgres` maintenance database. */
  url: string
  /** Superuser URL of another database on the same cluster. */
  urlFor(database: string): string
}

export interface TestClusters {
  source: TestCluster
  destination: TestCluster
}

export interface TestDatabase {
  side: Side
  name: string
  /** Superuser URL of this database. */
  url: string
  cluster: TestCluster
  /** Drop it now (`WITH (FORCE)`); later calls do nothing. */
  drop(): Promise<void>
}

export interface CreateTestDatabaseOptions {
  /** Template database; template0 by default, so nothing leaks in from template1. */
  template?: string
}

export const SOURCE_URL_ENV = 'PGSHIFT_TEST_SOURCE_URL'
export const DESTINATION_URL_ENV = 'PGSHIFT_TEST_DESTINATION_URL'

let clusters: Promise<TestClusters> | undefined

/** The source and destination clusters of this test run. */
export function testClusters(): Promise<TestClusters> {
  if (!clusters) {
    clusters = resolveClusters()
    // A failed start should be retried by the next caller, not cached forever.
    clusters.catch(() => {
      clusters = undefined
    })
  }
  return clusters
}

async function resolveClusters(): Promise<TestClusters> {
  const sourceUrl = process.env[SOURCE_URL_ENV]
  const destinationUrl = process.env[DESTINATION_URL_ENV]
  if (sourceUrl && destinationUrl) {
    return { source: clusterFromUrl('source', sourceUrl), destination: clusterFromUrl('destination', destinationUrl) }
  }
  if (sourceUrl || destinationUrl) {
    throw new Error(`set both ${SOURCE_URL_ENV} and ${DESTINATION_URL_ENV}, or neither (to start throwaway clusters)`)
  }
  // Running a test file on its own: same throwaway clusters as the runner would start.
  cleanupLeftoverClusters()
  const [source, destination] = await Promise.all([startCluster({ name: 'source' }), startCluster({ name: 'destination' })])
  // startCluster already registers them for removal when this process exits.
  return { source: clusterFromUrl('source', source.superuserUrl()), destination: clusterFromUrl('destination', destination.superuserUrl()) }
}

function clusterFromUrl(side: Side, url: string): TestCluster {
  const parsed = new URL(url)
  const urlFor = (database: string): string => {
    const copy = new URL(url)
    copy.pathname = `/${encodeURIComponent(database)}`
    return copy.toString()
  }
  return { side, host: parsed.hostname, port: Number(parsed.port || 5432), url: urlFor('postgres'), urlFor }
}

/** A new empty database on one side, dropped after the test `t` (if given). */
export async function createTestDatabase(
  t: TestContext | undefined,
  side: Side,
  options: CreateTestDatabaseOptions = {},
): Promise<TestDatabase> {
  const cluster = (await testClusters())[side]
  const name = `pgshift_t_${randomBytes(6).toString('hex')}`
  const template = options.template ?? 'template0'
  await withClient(cluster.url, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`))
  let dropping: Promise<void> | undefined
  const database: TestDatabase = {
    side,
    name,
    url: cluster.urlFor(name),
    cluster,
    drop: () => {
      dropping ??= withClient(cluster.url, (client) => dropDatabase(client, name))
      return dropping
    },
  }
  t?.after(() => database.drop())
  return database
}

/**
 * DROP DATABASE refuses while logical replication slots live in the database, and FORCE
 * does not remove them, so slots a test left behind are dropped first (their walsenders
 * terminated). Connections are ended by FORCE.
 */
async function dropDatabase(client: Client, name: string): Promise<void> {
  await client.query(
    `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL`,
    [name],
  )
  // A terminated walsender releases its slot asynchronously; retry until it is free.
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1`, [name])
      break
    } catch (error) {
      if (attempt >= 50 || !/is active for PID/.test((error as Error).message)) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
}

/** Connect to `url`, run `fn`, and always disconnect. */
export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url })
  // A connection dropped by the server (DROP DATABASE ... WITH (FORCE), a stopped cluster)
  // is an 'error' event that would crash the process; the pending query reports it anyway.
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`
}
