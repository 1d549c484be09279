import assert from 'node:assert/strict'
import { test } from 'node:test'
import { prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import type { CopyEvent } from '../../packages/core/src/copy/index.js'
import { openDatabase } from '../../packages/core/src/pg/index.js'
import { ConnectionUrl } from '../../packages/core/src/spec/index.js'
import { withClient } from '../support/test-databases.js'
import { createPair, loadSpec } from './copy-test-kit.js'

function asUser(url: string, user: string): string {
  const parsed = new URL(url)
  parsed.username = user
  return parsed.toString()
}

test('text COPY between roles with hostile DateStyle/TimeZone/IntervalStyle settings moves values unchanged', async (t) => {
  const pair = await createPair(t)
  const reader = `${pair.sourceDb.name}_reader`
  const writer = `${pair.destinationDb.name}_writer`
  t.after(async () => {
    await withClient(pair.sourceDb.cluster.url, (client) => client.query(`DROP ROLE IF EXISTS ${reader}`)).catch(() => {})
    await withClient(pair.destinationDb.cluster.url, (client) => client.query(`DROP ROLE IF EXISTS ${writer}`)).catch(() => {})
  })
  const table = `
    CREATE TABLE dates (id int PRIMARY KEY, d date, ts timestamp, tstz timestamptz, t timetz, iv interval,
      f float8, b bytea, acl aclitem)`
  await withClient(pair.sourceDb.url, async (client) => {
    await client.query(`CREATE ROLE ${reader} LOGIN`)
    for (const setting of [`DateStyle = 'SQL, DMY'`, `TimeZone = 'Asia/Kolkata'`, `IntervalStyle = 'sql_standard'`, 'extra_float_digits = -3', `bytea_output = 'escape'`]) {
      await client.query(`ALTER ROLE ${reader} SET ${setting}`)
    }
    await client.query(table)
    await client.query(`
      INSERT INTO dates VALUES
        (1, '2024-02-03', '2024-02-03 10:00:00', '2024-02-03 10:00:00+00', '10:00:00+00', '1 year 2 mons 3 days 04:05:06.5',
         0.1, '\\x00ff', 'postgres=r/postgres'),
        (2, '1999-12-31', '1999-12-31 23:59:59.999999', '2000-01-01 00:00:00+14', '23:59:59-03:30', '-1 day -00:00:01',
         1.0000000000000002, '\\x', '=r/postgres'),
        (3, '0044-03-15 BC', '2024-12-01 00:00:00', '2024-03-31 01:30:00+00', NULL, '-1 year +1 day', 1e-300, NULL, NULL)`)
    await client.query(`GRANT SELECT ON dates TO ${reader}`)
  })
  await withClient(pair.destinationDb.url, async (client) => {
    await client.query(`CREATE ROLE ${writer} LOGIN`)
    for (const setting of [`DateStyle = 'German, MDY'`, `TimeZone = 'America/St_Johns'`, `IntervalStyle = 'iso_8601'`]) {
      await client.query(`ALTER ROLE ${writer} SET ${setting}`)
    }
    await client.query(`ALTER DATABASE ${pair.destinationDb.name} OWNER TO ${writer}`)
    await client.query(`SET ROLE ${writer}`)
    await client.query(table)
  })
  // the role settings are live for a session that does not pin its own
  const style = await withClient(asUser(pair.sourceDb.url, reader), (client) => client.query('SELECT current_setting($1) AS v', ['DateStyle']))
  assert.equal(style.rows[0]?.v, 'SQL, DMY')

  const env = { sourceDb: { ...pair.sourceDb, url: asUser(pair.sourceDb.url, reader) }, destinationDb: { ...pair.destinationDb, url: asUser(pair.destinationDb.url, writer) } }
  const spec = await loadSpec(env, '')
  const source = await openDatabase(ConnectionUrl.parse(env.sourceDb.url), { role: 'source' })
  const destination = await openDatabase(ConnectionUrl.parse(env.destinationDb.url), { role: 'destination' })
  t.after(() => Promise.all([source.close(), destination.close()]))
  const plan = await prepareCopyPlan(source, destination, spec)
  assert.equal(plan.tables[0]?.format, 'text')
  assert.match(plan.tables[0]?.textReason ?? '', /aclitem/)

  const events: CopyEvent[] = []
  await runFullCopy({ source, destination, spec, plan, onEvent: (event) => events.push(event) })
  const warnings = events.filter((event) => event.type === 'warning')
  assert.deepEqual(warnings.map((event) => event.type === 'warning' && event.code), ['REPLICATION_ROLE_DENIED'], 'a non-superuser destination is warned about, once')

  // read back with one session setup on both sides, so the texts compare the stored values
  const read = (url: string) =>
    withClient(url, async (client) => {
      await client.query('SET DateStyle = ISO; SET TimeZone = UTC; SET IntervalStyle = postgres; SET extra_float_digits = 3')
      const { rows } = await client.query<{ row: string }>('SELECT r::text AS row FROM dates AS r ORDER BY id')
      return rows.map((row) => row.row)
    })
  const [sourceRows, destinationRows] = await Promise.all([read(pair.sourceDb.url), read(pair.destinationDb.url)])
  assert.deepEqual(destinationRows, sourceRows)
  assert.equal(
    destinationRows[0],
    String.raw`(1,2024-02-03,"2024-02-03 10:00:00","2024-02-03 10:00:00+00",10:00:00+00,"1 year 2 mons 3 days 04:05:06.5",0.1,"\\x00ff",postgres=r/postgres)`,
  )
})
