import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkLongTransactions } from './check-long-transactions.js'

const prepare = createPrepare(support)

describe('checkLongTransactions', () => {
  test('LONG_RUNNING_TRANSACTION: an open transaction older than the threshold', async (t) => {
    const { context, sourceUrl } = await prepare(t, {
      spec: 'types: [schema, full, incremental]',
      options: { longTransactionMs: 50 },
    })
    await support.withClient(sourceUrl, async (client) => {
      await client.query('BEGIN')
      const { rows } = await client.query<{ pid: number }>(
        'SELECT pg_backend_pid() AS pid, txid_current()',
      )
      const pid = rows[0]?.pid
      await sleep(200)
      const findings = await checkLongTransactions.run(context)
      await client.query('ROLLBACK')
      // the clusters are shared: other tests' transactions may show up as well
      const ours = findings.find((finding) => finding.object === `pid ${pid}`)
      assert.ok(ours, JSON.stringify(findings))
      assert.equal(ours.code, 'LONG_RUNNING_TRANSACTION')
      assert.equal(ours.severity, 'warning')
      assert.match(
        ours.message,
        new RegExp(
          `^source session ${pid} \\(role postgres, database ${context.source.url.database}, ` +
            'idle in transaction\\) has had a transaction open for \\d+ s: the replication slot ' +
            'cannot become consistent, and the copy cannot start, until it ends$',
          'u',
        ),
      )
    })
  })

  test('young transactions, or no incremental, report nothing', async (t) => {
    const { context, sourceUrl } = await prepare(t, { spec: 'types: [schema, full, incremental]' })
    const fullOnly = await prepare(t, { options: { longTransactionMs: 1 } })
    await support.withClient(sourceUrl, async (client) => {
      await client.query('BEGIN')
      await client.query('SELECT txid_current()')
      await sleep(20)
      assert.deepEqual(await checkLongTransactions.run(context), [])
      assert.deepEqual(await checkLongTransactions.run(fullOnly.context), [])
      await client.query('ROLLBACK')
    })
  })
})
