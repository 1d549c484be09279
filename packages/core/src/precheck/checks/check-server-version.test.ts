import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { assessServerVersions, checkServerVersion, formatVersion } from './check-server-version.js'

const prepare = createPrepare(support)

describe('checkServerVersion', () => {
  test('same major on both sides: nothing to report', async (t) => {
    const { context } = await prepare(t, { spec: 'types: [schema, full, incremental]' })
    assert.deepEqual(await checkServerVersion.run(context), [])
  })

  test('CONNECTIVITY: a side that cannot be queried is named', async (t) => {
    const { context, sourceUrl } = await prepare(t)
    const name = new URL(sourceUrl).pathname.slice(1)
    const admin = new URL(sourceUrl)
    admin.pathname = '/postgres'
    await support.withClient(admin.toString(), (client) =>
      client.query(`DROP DATABASE ${name} WITH (FORCE)`),
    )
    const findings = await checkServerVersion.run(context)
    assert.equal(findings.length, 1)
    assert.equal(findings[0]?.code, 'CONNECTIVITY')
    assert.equal(findings[0]?.severity, 'error')
    assert.equal(findings[0]?.object, 'source')
    assert.match(
      findings[0]?.message ?? '',
      new RegExp(`^cannot query the source database: .*database "${name}" does not exist`, 'u'),
    )
  })

  test('SERVER_VERSION: incremental from a source older than PostgreSQL 10', () => {
    const findings = assessServerVersions(90_624, 150_004, ['schema', 'full', 'incremental'])
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, finding.message]),
      [
        [
          'SERVER_VERSION',
          'error',
          'the source runs PostgreSQL 9.6.24: incremental migration needs logical decoding ' +
            '(pgoutput), which starts with PostgreSQL 10',
        ],
      ],
    )
    assert.deepEqual(assessServerVersions(90_624, 150_004, ['schema', 'full']), [])
    assert.equal(assessServerVersions(160_002, 150_004, ['full'])[0]?.code, 'VERSION_DOWNGRADE')
    assert.deepEqual(assessServerVersions(150_002, 150_010, ['full']), [])
    assert.equal(formatVersion(150_020), '15.20')
  })
})
