import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { collectFidelityNotes } from './collect-fidelity-notes.js'
import * as support from '../../../../test/support/test-databases.js'
import { createPrepare } from './precheck-test-helpers.js'

const prepare = createPrepare(support)

describe('collectFidelityNotes', () => {
  test('large objects, unlogged tables, materialized views, owners, sequences', async (t) => {
    const { context } = await prepare(t, {
      source: `
        SELECT lo_create(0);
        CREATE UNLOGGED TABLE scratch (id int);
        CREATE TABLE orders (id serial PRIMARY KEY);
        CREATE MATERIALIZED VIEW order_count AS SELECT count(*) FROM orders;`,
      spec: 'types: [schema, full, incremental]',
    })
    assert.deepEqual(await collectFidelityNotes(context), [
      {
        code: 'LARGE_OBJECTS',
        message:
          'the source holds 1 large object (pg_largeobject): they are not migrated, and oid ' +
          'columns that point at them will dangle on the destination',
      },
      {
        code: 'MATERIALIZED_VIEWS',
        message:
          'materialized views public.order_count are created on the destination and refreshed ' +
          'after the copy, not copied: their contents reflect the destination at refresh time',
      },
      {
        code: 'OWNERS_AND_GRANTS',
        message:
          'owners, grants and default privileges are not migrated: objects on the destination ' +
          'belong to the destination role; grant access there yourself',
      },
      {
        code: 'SEQUENCES_AT_CUTOVER',
        message:
          'sequence values (SERIAL, identity and plain sequences) are set on the destination ' +
          'after the full copy and again at cutover, not kept in step while changes replicate: ' +
          'do not write to the destination before cutover',
      },
      {
        code: 'UNLOGGED_TABLES',
        message:
          'unlogged tables public.scratch: their rows are copied and they stay unlogged, but ' +
          'logical decoding does not see their changes, so incremental migration does not ' +
          'replicate them',
      },
    ])
  })

  test('a plain database only gets the owners note', async (t) => {
    const { context } = await prepare(t, { source: 'CREATE TABLE t (id int PRIMARY KEY)' })
    assert.deepEqual(
      (await collectFidelityNotes(context)).map((note) => note.code),
      ['OWNERS_AND_GRANTS'],
    )
  })
})
