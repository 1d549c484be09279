import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compareFindings } from '../precheck-finding.js'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkReplicaIdentity } from './check-replica-identity.js'

const prepare = createPrepare(support)

const tables = `
  CREATE TABLE no_key (id int, region text);
  CREATE TABLE nothing (id int PRIMARY KEY);
  ALTER TABLE nothing REPLICA IDENTITY NOTHING;
  CREATE TABLE full_identity (id int, region text);
  ALTER TABLE full_identity REPLICA IDENTITY FULL;
  CREATE TABLE insert_only (id int);
  CREATE TABLE keyed (id int PRIMARY KEY, region text);
  CREATE TABLE by_index (code text NOT NULL, region text);
  CREATE UNIQUE INDEX by_index_code ON by_index (code);
  ALTER TABLE by_index REPLICA IDENTITY USING INDEX by_index_code;
  CREATE TABLE parted (id int PRIMARY KEY) PARTITION BY RANGE (id);
  CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);`

const objects = `
objects:
  - schema: public
    tables:
      - name: no_key
      - name: nothing
      - name: full_identity
        where: "region = 'eu'"
      - name: insert_only
        operations: [insert]
      - name: keyed
        where: "region = 'eu' and id > 0"
      - name: by_index
        where: "code like 'A%'"
      - name: parted
      - name: parted_1`

describe('checkReplicaIdentity', () => {
  test('REPLICA_IDENTITY and ROW_FILTER_REPLICA_IDENTITY for incremental', async (t) => {
    const { context } = await prepare(t, {
      source: tables,
      spec: `types: [schema, full, incremental]${objects}`,
    })
    const findings = [...(await checkReplicaIdentity.run(context))].sort(compareFindings)
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, finding.object]),
      [
        ['REPLICA_IDENTITY', 'warning', 'public.insert_only'],
        ['REPLICA_IDENTITY', 'warning', 'public.no_key'],
        ['REPLICA_IDENTITY', 'warning', 'public.nothing'],
        ['ROW_FILTER_REPLICA_IDENTITY', 'warning', 'public.keyed'],
      ],
    )
    assert.equal(
      findings[1]?.message,
      'public.no_key has no usable replica identity (it has no primary key and its replica ' +
        'identity is DEFAULT): in a publication its UPDATE and DELETE would fail on the source, ' +
        'so pgshift sets REPLICA IDENTITY FULL on it for the migration (restored at cutover); its ' +
        'updates and deletes then log whole old rows (more WAL) and are found on the destination ' +
        'by comparing every column (slower)',
    )
    assert.match(findings[1]?.hint ?? '', /--ignore-warnings/u)
    assert.match(findings[2]?.message ?? '', /^public\.nothing has no usable replica identity \(its replica identity is NOTHING\)/u)
    assert.equal(
      findings[3]?.message,
      'the where filter of public.keyed reads region, outside its replica identity: as a ' +
        'publication row filter it would make every UPDATE and DELETE on the source fail, so ' +
        'pgshift publishes every row and filters changes in the engine',
    )
  })

  test('nothing to report without incremental', async (t) => {
    const spec = `types: [schema, full]${objects}`
    const { context } = await prepare(t, { source: tables, spec })
    assert.deepEqual(await checkReplicaIdentity.run(context), [])
  })
})
