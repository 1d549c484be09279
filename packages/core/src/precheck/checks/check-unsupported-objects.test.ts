import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkUnsupportedObjects } from './check-unsupported-objects.js'

const prepare = createPrepare(support)

const source = `
  CREATE TABLE users (email text NOT NULL);
  CREATE UNIQUE INDEX users_email ON users (lower(email));
  CREATE TABLE keyed (id int PRIMARY KEY, email text);
  CREATE UNIQUE INDEX keyed_email ON keyed (lower(email));
  CREATE SCHEMA a;
  CREATE SCHEMA b;
  CREATE TABLE a.parent (id int);
  CREATE TABLE b.child (note text) INHERITS (a.parent);`
const allSchemas = 'objects:\n  - schema: public\n  - schema: a\n  - schema: b'

describe('checkUnsupportedObjects', () => {
  test('UNSUPPORTED_OBJECT: an expression unique index, no primary key, incremental', async (t) => {
    const { context } = await prepare(t, {
      source,
      spec: `types: [schema, full, incremental]\n${allSchemas}`,
    })
    assert.deepEqual(await checkUnsupportedObjects.run(context), [
      {
        code: 'UNSUPPORTED_OBJECT',
        severity: 'warning',
        message:
          'unique index users_email of public.users is on an expression: it is copied, but ' +
          'cannot serve as replica identity or as the key incremental migration applies ' +
          'updates and deletes by',
        hint: 'Add a primary key to public.users, or a unique index on plain NOT NULL columns.',
        object: 'public.users.users_email',
      },
    ])
    const full = await prepare(t, { source, spec: allSchemas })
    assert.deepEqual(await checkUnsupportedObjects.run(full.context), [])
  })

  test('UNSUPPORTED_OBJECT: a child selected without its parent in another schema', async (t) => {
    const { context } = await prepare(t, { source, spec: 'objects:\n  - schema: b' })
    assert.deepEqual(await checkUnsupportedObjects.run(context), [
      {
        code: 'UNSUPPORTED_OBJECT',
        severity: 'error',
        message:
          'b.child inherits from a.parent, which is not selected: the destination cannot ' +
          'create the child without its parent',
        hint: 'Select a.parent as well, or leave b.child out.',
        object: 'b.child',
      },
    ])
  })

  test('UNSUPPORTED_OBJECT: a parent selected without its child', async (t) => {
    const { context } = await prepare(t, { source, spec: 'objects:\n  - schema: a' })
    const findings = await checkUnsupportedObjects.run(context)
    assert.deepEqual(
      findings.map((finding) => [finding.severity, finding.object, finding.message]),
      [
        [
          'error',
          'a.parent',
          'b.child inherits from a.parent, which is selected while the child is not: the ' +
            'inheritance tree would be split between databases',
        ],
      ],
    )
  })
})
