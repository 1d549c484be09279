import assert from 'node:assert/strict'
import { test } from 'node:test'
import pg from 'pg'
import { createApplyPair, runCli, writeSpec } from '../apply/apply-kit.js'
import { loadSpec } from '../copy/copy-test-kit.js'
import { withClient } from '../support/test-databases.js'
import { startFollower, waitFollowing } from './follow-kit.js'

test('validate while apply follows a busy source: each range is compared with apply held at the source side\'s position, no false alarm; a real difference is still found', async (t) => {
  const pair = await createApplyPair(t)
  await withClient(pair.source.url, (client) =>
    client.query(`CREATE TABLE public.hot (id int PRIMARY KEY, n bigint NOT NULL, note text);
                  INSERT INTO public.hot SELECT g, 0, 'row ' || g FROM generate_series(1, 30000) g;`),
  )
  const migration = pair.source.name.replace(/_/g, '-')
  const body = 'types: [schema, full, incremental]'
  const file = await writeSpec(pair, body, migration)
  const follower = startFollower(await loadSpec({ sourceDb: pair.source, destinationDb: pair.destination }, body, migration))
  t.after(() => follower.stop().catch(() => {}))
  await waitFollowing(pair.destination.url, migration, follower.done)

  let writing = true
  let updates = 0
  const writer = (async () => {
    const client = new pg.Client({ connectionString: pair.source.url })
    await client.connect()
    try {
      for (let i = 0; writing; i++) {
        await client.query('UPDATE hot SET n = n + 1 WHERE id % 97 = $1 AND id <= 20000', [i % 97])
        updates++
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    } finally {
      await client.end()
    }
  })()
  t.after(() => {
    writing = false
  })
  await new Promise((resolve) => setTimeout(resolve, 500))
  const equal = await runCli(pair, ['validate', '--spec', file, '--no-sequences'])
  assert.equal(equal.code, 0, `${equal.stdout}\n${equal.stderr}\n${JSON.stringify(follower.describe())}`)
  assert.match(equal.stdout, /equal/i)

  // a row changed behind pgshift's back on the destination is found while the writer goes on
  await withClient(pair.destination.url, (client) => client.query(`UPDATE hot SET note = 'tampered' WHERE id = 25000`))
  const different = await runCli(pair, ['validate', '--spec', file, '--no-sequences', '--format', 'json'])
  writing = false
  await writer
  assert.equal(different.code, 1, `${different.stdout}\n${different.stderr}`)
  assert.match(different.stdout, /25000/)
  assert.ok(updates > 50, `${updates} source updates during validation`)
  await follower.stop()
})
