// One extra source server that lacks what incremental migration needs: wal_level = replica,
// no replication slots, no WAL senders, a 1 MB max_slot_wal_keep_size. It runs the embedded
// PostgreSQL 17, so that the shared PostgreSQL 15 destination is a downgrade.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startCluster } from '../../../../test/support/local-cluster.js'
import type { LocalCluster } from '../../../../test/support/local-cluster.js'
import { checkReplicationCapacity } from './checks/check-replication-capacity.js'
import { checkServerVersion } from './checks/check-server-version.js'
import { checkWalLevel } from './checks/check-wal-level.js'
import { checkWalRetention } from './checks/check-wal-retention.js'
import * as support from '../../../../test/support/test-databases.js'
import { createPrepare, withCode } from './precheck-test-helpers.js'
import { runPrechecks } from './run-prechecks.js'

const prepare = createPrepare(support)

const incremental = 'types: [schema, full, incremental]'

describe('a source without logical replication', () => {
  let cluster: LocalCluster
  before(async () => {
    cluster = await startCluster({
      name: 'precheck-limited',
      bindir: 'embedded',
      settings: {
        wal_level: 'replica',
        max_replication_slots: 0,
        max_wal_senders: 0,
        max_slot_wal_keep_size: '1MB',
      },
    })
  })
  after(() => cluster?.stop())

  test('WAL_LEVEL: incremental needs wal_level = logical', async (t) => {
    const sourceServerUrl = cluster.superuserUrl()
    const { context } = await prepare(t, { sourceServerUrl, spec: incremental })
    assert.deepEqual(await checkWalLevel.run(context), [
      {
        code: 'WAL_LEVEL',
        severity: 'error',
        message:
          'the source has wal_level = replica: incremental migration needs logical decoding, ' +
          'which needs wal_level = logical',
        hint:
          "Run ALTER SYSTEM SET wal_level = 'logical' on the source and restart it (on managed " +
          'services: enable logical replication in the parameter group), or remove incremental ' +
          'from types.',
        object: 'source',
      },
    ])
    const fullOnly = await prepare(t, { sourceServerUrl: cluster.superuserUrl() })
    assert.deepEqual(await checkWalLevel.run(fullOnly.context), [])
  })

  test('REPLICATION_SLOTS and WAL_SENDERS: one of each must be free', async (t) => {
    const sourceServerUrl = cluster.superuserUrl()
    const { context } = await prepare(t, { sourceServerUrl, spec: incremental })
    const findings = await checkReplicationCapacity.run(context)
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, finding.message]),
      [
        [
          'REPLICATION_SLOTS',
          'error',
          'the source has no free replication slot (max_replication_slots = 0, 0 in use): ' +
            'incremental migration needs one',
        ],
        [
          'WAL_SENDERS',
          'error',
          'the source has no free WAL sender (max_wal_senders = 0, 0 in use): incremental ' +
            'migration streams through one',
        ],
      ],
    )
  })

  test('VERSION_DOWNGRADE: a PostgreSQL 17 source into a PostgreSQL 15 destination', async (t) => {
    const { context } = await prepare(t, { sourceServerUrl: cluster.superuserUrl() })
    const findings = await checkServerVersion.run(context)
    assert.equal(findings.length, 1)
    assert.equal(findings[0]?.code, 'VERSION_DOWNGRADE')
    assert.equal(findings[0]?.severity, 'warning')
    assert.match(
      findings[0]?.message ?? '',
      new RegExp(
        "^the destination runs PostgreSQL 15\\.\\d+, older than the source's 17\\.\\d+: DDL, " +
          'types or functions the older major lacks will fail$',
        'u',
      ),
    )
  })

  test('WAL_RETENTION: the estimate exceeds max_slot_wal_keep_size', async (t) => {
    const { context, sourceUrl } = await prepare(t, {
      sourceServerUrl: cluster.superuserUrl(),
      spec: incremental,
      source:
        'CREATE TABLE big (id int, pad text); ' +
        'INSERT INTO big SELECT g, repeat($$x$$, 100) FROM generate_series(1, 1000) g',
      // 1 byte/s: the copy of ~150 kB would take days, so any write rate exceeds 1 MB
      options: { walSampleMs: 300, copyBytesPerSecond: 1 },
    })
    let writing = true
    const writer = support.withClient(sourceUrl, async (client) => {
      const insert = 'INSERT INTO big SELECT g, $$y$$ FROM generate_series(1, 100) g'
      while (writing) await client.query(insert)
    })
    try {
      const findings = await checkWalRetention.run(context)
      assert.equal(findings.length, 1)
      assert.equal(findings[0]?.code, 'WAL_RETENTION')
      assert.equal(findings[0]?.severity, 'warning')
      assert.match(
        findings[0]?.message ?? '',
        new RegExp(
          '^the source must retain the WAL written during the full copy \\(.+ at 1 B/s, about ' +
            '.+\\), more than max_slot_wal_keep_size \\(1\\.0 MB\\) at the current write rate: ' +
            'the slot would be invalidated during the copy$',
          'u',
        ),
      )
    } finally {
      writing = false
      await writer
    }
  })

  test('runPrechecks reports all of it, errors first', async (t) => {
    const { context } = await prepare(t, {
      sourceServerUrl: cluster.superuserUrl(),
      spec: incremental,
      options: { walSampleMs: 0 },
    })
    const findings = await runPrechecks(context)
    assert.deepEqual(
      findings.map((finding) => `${finding.severity} ${finding.code}`),
      [
        'error REPLICATION_SLOTS',
        'error WAL_LEVEL',
        'error WAL_SENDERS',
        'warning VERSION_DOWNGRADE',
      ],
    )
    assert.equal(withCode(findings, 'PRECHECK_FAILED').length, 0)
  })
})
