import assert from 'node:assert/strict'
import net from 'node:net'
import { describe, test } from 'node:test'
import { createTestDatabase } from '../../../../test/support/test-databases.js'
import { ConnectionUrl } from '../spec/index.js'
import { ConnectionError } from './connection-error.js'
import { openDatabase } from './open-database.js'

async function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo
      server.close(() => resolve(address.port))
    })
    server.on('error', reject)
  })
}

describe('openDatabase', () => {
  test('pins the session settings that text values depend on', async (t) => {
    const database = await createTestDatabase(t, 'source')
    const db = await openDatabase(ConnectionUrl.parse(database.url), { role: 'source' })
    try {
      const { rows } = await db.pool.query<Record<string, string>>(
        "SELECT current_setting('DateStyle') AS datestyle, current_setting('TimeZone') AS tz, " +
          "current_setting('IntervalStyle') AS intervalstyle, current_setting('extra_float_digits') AS efd, " +
          "current_setting('application_name') AS app",
      )
      assert.deepEqual(rows[0], {
        datestyle: 'ISO, MDY',
        tz: 'UTC',
        intervalstyle: 'postgres',
        efd: '3',
        app: 'pgshift source',
      })
    } finally {
      await db.close()
    }
  })

  test('a refused connection names the host, the side and the fix, never the password', async () => {
    const port = await unusedPort()
    const url = ConnectionUrl.parse(`postgres://app:Sup3rSecret@127.0.0.1:${port}/sales`)
    await assert.rejects(openDatabase(url, { role: 'destination' }), (error: unknown) => {
      assert.ok(error instanceof ConnectionError)
      assert.equal(error.role, 'destination')
      assert.match(
        error.message,
        new RegExp(`^cannot connect to the destination database sales at 127\\.0\\.0\\.1:${port}: connection refused`),
      )
      assert.match(error.message, /Check the host and port in the destination URL/)
      assert.doesNotMatch(error.message, /Sup3rSecret/)
      return true
    })
  })

  test('a database that does not exist is named as such', async (t) => {
    const database = await createTestDatabase(t, 'source')
    const url = new URL(database.url)
    url.pathname = '/no_such_database'
    url.password = 'Sup3rSecret'
    await assert.rejects(
      openDatabase(ConnectionUrl.parse(url.toString()), { role: 'source' }),
      (error: unknown) => {
        assert.ok(error instanceof ConnectionError)
        assert.match(error.message, /database no_such_database at 127\.0\.0\.1:\d+: the database does not exist/)
        assert.doesNotMatch(error.message, /Sup3rSecret/)
        return true
      },
    )
  })
})
