// Shared set-up of the replication stream tests: a source database with tables, a publication
// and a pgoutput slot of its own (slots are per cluster, so named after the database, which is
// unique), and helpers that read a stream up to a commit.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { createPublication } from '../../packages/core/src/incremental/create-publication.js'
import type { PublishedTable } from '../../packages/core/src/incremental/create-publication.js'
import type { PgoutputMessage } from '../../packages/core/src/incremental/pgoutput/index.js'
import type { ReplicationMessageItem, ReplicationStream } from '../../packages/core/src/incremental/replication-stream.js'
import { ConnectionUrl } from '../../packages/core/src/spec/index.js'
import { createTestDatabase, withClient } from '../support/test-databases.js'
import type { TestDatabase } from '../support/test-databases.js'

export interface ReplicationSource {
  readonly db: TestDatabase
  readonly url: ConnectionUrl
  /** The slot's and the publication's name. */
  readonly slot: string
  readonly publication: string
}

/**
 * A source database holding `setupSql`'s objects, a publication of `tables` and a pgoutput
 * slot created after the set-up (so only later changes stream). Both go with the database.
 */
export async function createReplicationSource(
  t: TestContext,
  setupSql: string,
  tables: readonly PublishedTable[],
): Promise<ReplicationSource> {
  const db = await createTestDatabase(t, 'source')
  const slot = db.name
  await withClient(db.url, async (client) => {
    await client.query(setupSql)
    await createPublication(client, slot, tables)
    await client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot])
  })
  return { db, url: ConnectionUrl.parse(db.url), slot, publication: slot }
}

/** Runs SQL on the source database in a connection of its own. */
export function runSql<T = unknown>(source: ReplicationSource, sql: string, params: unknown[] = []): Promise<T[]> {
  return withClient(source.db.url, async (client) => {
    const result = await client.query(sql, params)
    return (Array.isArray(result) ? result.flatMap((part) => part.rows) : result.rows) as T[]
  })
}

/** The messages of the next transaction, from its Begin (or first Stream Start) to its commit. */
export async function readTransaction(stream: ReplicationStream): Promise<ReplicationMessageItem[]> {
  const items: ReplicationMessageItem[] = []
  for await (const item of stream) {
    if (item.kind !== 'message') continue
    items.push(item)
    if (item.message.kind === 'commit' || item.message.kind === 'stream_commit') return items
  }
  assert.fail('the stream ended before a commit')
}

/** The commit (or stream commit) that ends a transaction read by {@link readTransaction}. */
export function commitOf(items: readonly ReplicationMessageItem[]): PgoutputMessage & { endLsn: bigint } {
  const last = items.at(-1)?.message
  assert.ok(last?.kind === 'commit' || last?.kind === 'stream_commit', `expected a commit, got ${last?.kind}`)
  return last
}

/** Text of a tuple's values, `null` for NULL and `'<unchanged>'` for an unchanged TOAST value. */
export function texts(tuple: readonly { kind: string; text?: string }[] | null): (string | null)[] | null {
  if (tuple === null) return null
  return tuple.map((value) => (value.kind === 'text' ? (value.text ?? '') : value.kind === 'null' ? null : `<${value.kind}>`))
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
