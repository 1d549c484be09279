import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkTableWithoutKey } from './check-table-without-key.js'

const prepare = createPrepare(support)

describe('checkTableWithoutKey', () => {
  test('TABLE_WITHOUT_KEY: no primary key and no unique key on NOT NULL columns', async (t) => {
    const { context } = await prepare(t, {
      source: `
        CREATE TABLE no_key (id int);
        CREATE TABLE nullable_unique (id int UNIQUE);
        CREATE TABLE partial_unique (id int NOT NULL);
        CREATE UNIQUE INDEX ON partial_unique (id) WHERE id > 0;
        CREATE TABLE expression_unique (email text NOT NULL);
        CREATE UNIQUE INDEX ON expression_unique (lower(email));
        CREATE TABLE with_pk (id int PRIMARY KEY);
        CREATE TABLE with_unique (id int NOT NULL UNIQUE);
        CREATE TABLE with_unique_index (a int NOT NULL, b int NOT NULL);
        CREATE UNIQUE INDEX ON with_unique_index (a, b);
        CREATE TABLE parted (id int PRIMARY KEY) PARTITION BY RANGE (id);
        CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);`,
    })
    const findings = await checkTableWithoutKey.run(context)
    assert.deepEqual(
      findings.map((finding) => finding.object),
      [
        'public.expression_unique',
        'public.no_key',
        'public.nullable_unique',
        'public.partial_unique',
      ],
    )
    assert.deepEqual(findings[1], {
      code: 'TABLE_WITHOUT_KEY',
      severity: 'warning',
      message:
        'public.no_key has neither a primary key nor a unique index on NOT NULL columns: ' +
        'incremental migration cannot tell equal rows apart (an update or delete may hit a ' +
        'duplicate), and validation must compare the table as a whole (slower)',
      hint: 'Add a primary key to public.no_key on the source before migrating.',
      object: 'public.no_key',
    })
  })
})
