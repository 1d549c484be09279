// Shared set-up of the incremental apply tests: `runApply` following changes in this process
// until stopped, and waits on the destination's stored position.
import assert from 'node:assert/strict'
import { runApply } from '../../packages/core/src/apply/index.js'
import type { ApplyEvent, ApplyResult } from '../../packages/core/src/apply/index.js'
import type { MigrationSpec } from '../../packages/core/src/spec/index.js'
import type { TestContext } from 'node:test'
import { createPair, loadSpec } from '../copy/copy-test-kit.js'
import type { CopyPair } from '../copy/copy-test-kit.js'
import { withClient } from '../support/test-databases.js'

export interface Follower {
  readonly events: ApplyEvent[]
  /** The incremental retries and the last lag reports, for failure messages. */
  describe(): unknown
  /** Stops following (as SIGTERM does) and returns apply's result. */
  stop(): Promise<ApplyResult>
  readonly done: Promise<ApplyResult>
}

/** Starts `apply` with its spec and lets it follow changes until {@link Follower.stop}. */
export function startFollower(spec: MigrationSpec): Follower {
  const events: ApplyEvent[] = []
  const controller = new AbortController()
  const done = runApply({
    spec,
    until: 'forever',
    signal: controller.signal,
    ignoreWarnings: true,
    onEvent: (event) => events.push(event),
  })
  done.catch(() => {})
  return {
    events,
    describe: () =>
      events
        .filter((event) => event.type === 'incremental' && (event.event.type === 'retry' || event.event.type === 'ddl'))
        .slice(-10),
    done,
    stop: async () => {
      controller.abort()
      return done
    },
  }
}

/** The source's current WAL position. */
export async function sourceLsn(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')
    return rows[0]?.lsn ?? '0/0'
  })
}

/**
 * Waits until the destination has applied everything up to `lsn` (heartbeats move the
 * applied position past quiet stretches), failing after `timeoutMs` or when `failed` settles.
 */
export async function waitApplied(
  destinationUrl: string,
  migration: string,
  lsn: string,
  options: { timeoutMs?: number; failed?: Promise<unknown>; describe?: () => unknown } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000)
  let settled: unknown
  options.failed?.then(
    (value) => (settled = { value }),
    (error) => (settled = { error }),
  )
  for (;;) {
    if (settled !== undefined) assert.fail(`apply ended while waiting: ${JSON.stringify(settled, errorJson)}`)
    const applied = await withClient(destinationUrl, async (client) => {
      const { rows } = await client.query<{ done: boolean }>(
        `SELECT applied_lsn >= $2::pg_lsn AS done FROM pgshift.replication WHERE migration = $1`,
        [migration, lsn],
      ).catch(() => ({ rows: [] as { done: boolean }[] }))
      return rows[0]?.done === true
    })
    if (applied) return
    if (Date.now() > deadline) {
      assert.fail(`the destination did not apply up to ${lsn} within the timeout ${JSON.stringify(options.describe?.())}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Waits until apply follows (its replication row says `following`). */
export async function waitFollowing(
  destinationUrl: string,
  migration: string,
  failed: Promise<unknown>,
  findings?: () => unknown,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let settled: unknown
  failed.then(
    (value) => (settled = { value }),
    (error) => (settled = { error }),
  )
  for (;;) {
    if (settled !== undefined) assert.fail(`apply ended before following: ${JSON.stringify(settled, errorJson)} ${JSON.stringify(findings?.())}`)
    const following = await withClient(destinationUrl, async (client) => {
      const { rows } = await client
        .query<{ status: string }>(`SELECT status FROM pgshift.replication WHERE migration = $1`, [migration])
        .catch(() => ({ rows: [] as { status: string }[] }))
      return rows[0]?.status === 'following'
    })
    if (following) return
    if (Date.now() > deadline) assert.fail('apply did not start following within the timeout')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

function errorJson(_key: string, value: unknown): unknown {
  return value instanceof Error ? { message: value.message, stack: value.stack } : value
}

/**
 * A fresh pair whose source holds `setupSql`, and `apply` with `body` (types, objects, options)
 * following it: the migration is named after the source database, so its slot is the test's own.
 */
export async function followNewPair(
  t: TestContext,
  setupSql: string,
  body: string,
): Promise<{ pair: CopyPair; migration: string; spec: MigrationSpec; follower: Follower }> {
  const pair = await createPair(t)
  await withClient(pair.sourceDb.url, (client) => client.query(setupSql))
  const migration = pair.sourceDb.name.replace(/_/g, '-')
  const spec = await loadSpec(pair, body, migration)
  const follower = startFollower(spec)
  t.after(() => follower.stop().catch(() => {}))
  await waitFollowing(pair.destinationDb.url, migration, follower.done, () =>
    follower.events.filter((event) => event.type === 'findings'),
  )
  return { pair, migration, spec, follower }
}
