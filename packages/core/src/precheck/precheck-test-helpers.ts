// Test support for the precheck tests: real databases on the shared test clusters, a spec
// pointing at them and a ready context. Not exported from the package. The test harness
// (test/support/test-databases.ts) is handed in by each test file rather than imported: this
// file stays inside src/, which the package build (rootDir src) compiles.
import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { Client } from 'pg'
import { openDatabase } from '../pg/index.js'
import type { Database } from '../pg/index.js'
import { loadSpecText } from '../spec/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { createPrecheckContext } from './precheck-context.js'
import type { PrecheckContext, PrecheckOptions } from './precheck-context.js'
import type { PrecheckFinding } from './precheck-finding.js'

/** The parts of test/support/test-databases.ts the helpers use. */
export interface TestSupport {
  createTestDatabase(
    t: undefined,
    side: 'source' | 'destination',
  ): Promise<{ readonly url: string; drop(): Promise<void> }>
  testClusters(): Promise<{
    readonly source: { readonly url: string }
    readonly destination: { readonly url: string }
  }>
  withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T>
}

/** What a test calls to get fresh databases and a context. */
export type Prepare = (t: TestContext, input?: PrepareInput) => Promise<Prepared>

/**
 * Binds the helpers to the test harness:
 * `const prepare = createPrepare(await import('.../test/support/test-databases.js'))`.
 */
export function createPrepare(support: TestSupport): Prepare {
  return (t, input) => prepare(support, t, input)
}

export interface PrepareInput {
  /** SQL run as superuser on the fresh source database. */
  readonly source?: string
  readonly destination?: string
  /** The spec after its endpoints: `types: [...]`, `objects: ...`, `options: ...`. */
  readonly spec?: string
  readonly options?: PrecheckOptions
  /**
   * Connect to the source as a new LOGIN role with these attributes (`''`, `'REPLICATION'`);
   * `{role}` in the setup SQL stands for its name.
   */
  readonly sourceRole?: string
  readonly destinationRole?: string
  /** Use this server instead of the shared source cluster (a URL of its `postgres` database). */
  readonly sourceServerUrl?: string
}

export interface Prepared {
  readonly context: PrecheckContext
  readonly spec: MigrationSpec
  readonly sourceUrl: string
  readonly destinationUrl: string
  readonly source: Database
  readonly destination: Database
  readonly sourceRole: string | undefined
  readonly destinationRole: string | undefined
}

/** Fresh source and destination databases, set up, with a loaded spec and a context. */
async function prepare(
  support: TestSupport,
  t: TestContext,
  input: PrepareInput = {},
): Promise<Prepared> {
  const cleanups: (() => Promise<unknown>)[] = []
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })
  const runSql: RunSql = (url, sql) => support.withClient(url, (client) => client.query(sql))
  const sourceUrl = await freshDatabase(support, input.sourceServerUrl, cleanups)
  const destinationDb = await support.createTestDatabase(undefined, 'destination')
  cleanups.push(() => destinationDb.drop())
  const clusters = await support.testClusters()
  const sourceRole =
    input.sourceRole === undefined
      ? undefined
      : await createRole(
          runSql,
          input.sourceServerUrl ?? clusters.source.url,
          input.sourceRole,
          cleanups,
        )
  const destinationRole =
    input.destinationRole === undefined
      ? undefined
      : await createRole(runSql, clusters.destination.url, input.destinationRole, cleanups)
  const withRole = (sql: string, role: string | undefined) => sql.replaceAll('{role}', role ?? '')
  if (input.source !== undefined) await runSql(sourceUrl, withRole(input.source, sourceRole))
  if (input.destination !== undefined) {
    await runSql(destinationDb.url, withRole(input.destination, destinationRole))
  }
  const spec = await loadSpec(
    asRole(sourceUrl, sourceRole),
    asRole(destinationDb.url, destinationRole),
    input.spec ?? '',
  )
  const source = await openDatabase(spec.source.url, { role: 'source' })
  cleanups.push(() => source.close())
  const destination = await openDatabase(spec.destination.url, { role: 'destination' })
  cleanups.push(() => destination.close())
  const context = await createPrecheckContext({ spec, source, destination, options: input.options })
  return {
    context,
    spec,
    sourceUrl,
    destinationUrl: destinationDb.url,
    source,
    destination,
    sourceRole,
    destinationRole,
  }
}

type RunSql = (url: string, sql: string) => Promise<unknown>

async function freshDatabase(
  support: TestSupport,
  serverUrl: string | undefined,
  cleanups: (() => Promise<unknown>)[],
): Promise<string> {
  const runSql: RunSql = (url, sql) => support.withClient(url, (client) => client.query(sql))
  if (serverUrl === undefined) {
    const database = await support.createTestDatabase(undefined, 'source')
    cleanups.push(() => database.drop())
    return database.url
  }
  const name = `pgshift_t_${randomBytes(6).toString('hex')}`
  await runSql(serverUrl, `CREATE DATABASE ${name} TEMPLATE template0`)
  cleanups.push(() => runSql(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Loads a spec whose endpoints are the given URLs. */
export async function loadSpec(
  sourceUrl: string,
  destinationUrl: string,
  rest: string,
): Promise<MigrationSpec> {
  const text = [
    'apiVersion: pgshift/v1',
    'kind: Migration',
    'metadata: { name: precheck-test }',
    'source: { url: "${SOURCE_DATABASE_URL}" }',
    'destination: { url: "${TARGET_DATABASE_URL}" }',
    rest,
  ].join('\n')
  const env = { SOURCE_DATABASE_URL: sourceUrl, TARGET_DATABASE_URL: destinationUrl }
  const { spec, problems } = await loadSpecText(text, 'precheck-test.yaml', { env })
  if (spec === undefined) throw new Error(`bad test spec: ${JSON.stringify(problems)}`)
  return spec
}

/** A LOGIN role with the given attributes, dropped by the last cleanup; its name. */
async function createRole(
  runSql: RunSql,
  serverUrl: string,
  attributes: string,
  cleanups: (() => Promise<unknown>)[],
): Promise<string> {
  const role = `pgshift_r_${randomBytes(5).toString('hex')}`
  await runSql(serverUrl, `CREATE ROLE ${role} LOGIN ${attributes}`)
  // first in, last out: the role goes once its sessions are closed and its databases dropped
  cleanups.unshift(async () => {
    // parameter grants are cluster-wide: they outlive the test's databases
    await runSql(serverUrl, `REVOKE ALL ON PARAMETER session_replication_role FROM ${role}`)
    await runSql(serverUrl, `DROP ROLE IF EXISTS ${role}`)
  })
  return role
}

function asRole(url: string, role: string | undefined): string {
  if (role === undefined) return url
  const copy = new URL(url)
  copy.username = role
  return copy.toString()
}

/** The findings with a given code, for focused assertions. */
export function withCode(findings: readonly PrecheckFinding[], code: string): PrecheckFinding[] {
  return findings.filter((finding) => finding.code === code)
}
