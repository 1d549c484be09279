import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestDatabase, testClusters, withClient } from '../support/test-databases.js'
import type { Side } from '../support/test-databases.js'

const SIDES: Side[] = ['source', 'destination']

test('each side takes writes and reads them back', async (t) => {
  for (const side of SIDES) {
    const database = await createTestDatabase(t, side)
    const rows = await withClient(database.url, async (client) => {
      await client.query('CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)')
      await client.query(`INSERT INTO items VALUES (1, 'one'), (2, $1)`, [`two on ${side}`])
      return (await client.query<{ id: number; label: string }>('SELECT id, label FROM items ORDER BY id')).rows
    })
    assert.deepEqual(rows, [
      { id: 1, label: 'one' },
      { id: 2, label: `two on ${side}` },
    ])
  }
})

test('source and destination are different servers', async () => {
  const { source, destination } = await testClusters()
  assert.notEqual(source.port, destination.port)
  const identifier = (url: string) =>
    withClient(url, async (client) => (await client.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0]?.id)
  const [sourceId, destinationId] = await Promise.all([identifier(source.url), identifier(destination.url)])
  assert.ok(sourceId && destinationId)
  assert.notEqual(sourceId, destinationId)
})

test('both servers are set up for logical replication', async () => {
  const clusters = await testClusters()
  for (const side of SIDES) {
    const settings = await withClient(clusters[side].url, async (client) => {
      const result = await client.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings WHERE name IN ('wal_level', 'max_replication_slots', 'max_wal_senders')`,
      )
      return Object.fromEntries(result.rows.map((row) => [row.name, row.setting]))
    })
    assert.equal(settings.wal_level, 'logical', side)
    assert.ok(Number(settings.max_replication_slots) >= 10, `${side} max_replication_slots=${settings.max_replication_slots}`)
    assert.ok(Number(settings.max_wal_senders) >= 10, `${side} max_wal_senders=${settings.max_wal_senders}`)
  }
})

test('a pgoutput logical replication slot can be created and dropped', async (t) => {
  const database = await createTestDatabase(t, 'source')
  const slot = `${database.name}_slot`
  await withClient(database.url, async (client) => {
    const created = await client.query<{ slot_name: string }>(`SELECT slot_name FROM pg_create_logical_replication_slot($1, 'pgoutput')`, [slot])
    assert.equal(created.rows[0]?.slot_name, slot)
    const listed = await client.query(`SELECT plugin, slot_type, database FROM pg_replication_slots WHERE slot_name = $1`, [slot])
    assert.deepEqual(listed.rows, [{ plugin: 'pgoutput', slot_type: 'logical', database: database.name }])
    await client.query('SELECT pg_drop_replication_slot($1)', [slot])
    const after = await client.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot])
    assert.equal(after.rowCount, 0)
  })
})

test('a leftover slot does not keep a test database from being dropped', async (t) => {
  const { source } = await testClusters()
  let name = ''
  await t.test('leaves a slot behind', async (t) => {
    const database = await createTestDatabase(t, 'source')
    name = database.name
    await withClient(database.url, (client) => client.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [`${name}_left`]))
  })
  const remaining = await withClient(source.url, (client) =>
    client.query('SELECT (SELECT count(*) FROM pg_database WHERE datname = $1)::int AS dbs, (SELECT count(*) FROM pg_replication_slots WHERE database = $1)::int AS slots', [name]),
  )
  assert.deepEqual(remaining.rows, [{ dbs: 0, slots: 0 }])
})

test('test databases are isolated and dropped after their test', async (t) => {
  const { source } = await testClusters()
  const names: string[] = []
  await t.test('uses two databases', async (t) => {
    const first = await createTestDatabase(t, 'source')
    const second = await createTestDatabase(t, 'source')
    names.push(first.name, second.name)
    assert.notEqual(first.name, second.name)
    assert.match(first.name, /^pgshift_t_[0-9a-f]+$/)
    await withClient(first.url, (client) => client.query('CREATE TABLE only_in_first (id int)'))
    const seen = await withClient(second.url, (client) => client.query(`SELECT to_regclass('only_in_first') AS found`))
    assert.deepEqual(seen.rows, [{ found: null }])
    const listed = await withClient(source.url, (client) => client.query('SELECT count(*)::int AS n FROM pg_database WHERE datname = ANY($1)', [names]))
    assert.deepEqual(listed.rows, [{ n: 2 }])
  })
  const remaining = await withClient(source.url, (client) => client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]))
  assert.equal(names.length, 2)
  assert.deepEqual(remaining.rows, [])
})

test('drop() without a test context is explicit and idempotent', async () => {
  const { destination } = await testClusters()
  const database = await createTestDatabase(undefined, 'destination')
  // Keep a connection open: FORCE must end it.
  const exists = () => withClient(destination.url, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database.name])).rowCount)
  assert.equal(await exists(), 1)
  await withClient(database.url, async () => {
    await Promise.all([database.drop(), database.drop()])
  })
  await database.drop()
  assert.equal(await exists(), 0)
})
