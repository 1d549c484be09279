import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createPublication } from '../../packages/core/src/incremental/create-publication.js'
import { dropPublication } from '../../packages/core/src/incremental/drop-publication.js'
import { createTestDatabase, withClient } from '../support/test-databases.js'

test('createPublication creates, then aligns the table list on a re-run; dropPublication is idempotent', async (t) => {
  const db = await createTestDatabase(t, 'source')
  await withClient(db.url, async (client) => {
    await client.query('CREATE SCHEMA "Sales"; CREATE TABLE "Sales"."Order" (id int PRIMARY KEY); CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY)')
    const published = async () =>
      (
        await client.query<{ name: string }>(
          "SELECT schemaname || '.' || tablename AS name FROM pg_publication_tables WHERE pubname = 'pgshift_p' ORDER BY 1",
        )
      ).rows.map((row) => row.name)
    const operations = async () =>
      (await client.query("SELECT pubinsert, pubupdate, pubdelete, pubtruncate FROM pg_publication WHERE pubname = 'pgshift_p'")).rows

    await createPublication(client, 'pgshift_p', [
      { schema: 'Sales', name: 'Order' },
      { schema: 'public', name: 'a' },
    ])
    assert.deepEqual(await published(), ['Sales.Order', 'public.a'])
    assert.deepEqual(await operations(), [{ pubinsert: true, pubupdate: true, pubdelete: true, pubtruncate: true }])

    await createPublication(client, 'pgshift_p', [
      { schema: 'public', name: 'a' },
      { schema: 'public', name: 'b' },
    ])
    assert.deepEqual(await published(), ['public.a', 'public.b'])
    await createPublication(client, 'pgshift_p', [])
    assert.deepEqual(await published(), [])
    assert.equal((await operations()).length, 1)

    await dropPublication(client, 'pgshift_p')
    await dropPublication(client, 'pgshift_p')
    assert.deepEqual(await operations(), [])
    await createPublication(client, 'pgshift_p', [])
    assert.deepEqual(await published(), [])
  })
})
