import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkDestinationTablePrivileges } from './check-destination-table-privileges.js'

const prepare = createPrepare(support)

const spec = [
  'types: [full, incremental]',
  'conflicts: ignore',
  'objects:',
  '  - schema: public',
  '    tables:',
  '      - name: orders',
  '      - name: items',
  '        operations: [insert, update]',
].join('\n')

describe('checkDestinationTablePrivileges', () => {
  test('DESTINATION_PRIVILEGES: existing tables the role may not write', async (t) => {
    const { context, destinationRole } = await prepare(t, {
      destinationRole: '',
      source: 'CREATE TABLE orders (id int PRIMARY KEY); CREATE TABLE items (id int PRIMARY KEY)',
      destination:
        'CREATE TABLE orders (id int PRIMARY KEY); CREATE TABLE items (id int PRIMARY KEY); ' +
        'GRANT INSERT, UPDATE ON orders TO {role}',
      spec,
    })
    const role = destinationRole ?? ''
    assert.deepEqual(await checkDestinationTablePrivileges.run(context), [
      {
        code: 'DESTINATION_PRIVILEGES',
        severity: 'error',
        message:
          `the destination role ${role} lacks INSERT, UPDATE on public.items, which already ` +
          'exists and which the migration writes into',
        hint: `GRANT INSERT, UPDATE ON public.items TO ${role};`,
        object: 'public.items',
      },
      {
        code: 'DESTINATION_PRIVILEGES',
        severity: 'error',
        message:
          `the destination role ${role} lacks DELETE, TRUNCATE on public.orders, which ` +
          'already exists and which the migration writes into',
        hint: `GRANT DELETE, TRUNCATE ON public.orders TO ${role};`,
        object: 'public.orders',
      },
    ])
  })

  test('tables the migration creates need no grants', async (t) => {
    const { context } = await prepare(t, {
      destinationRole: '',
      source: 'CREATE TABLE orders (id int PRIMARY KEY); CREATE TABLE items (id int PRIMARY KEY)',
      spec,
    })
    assert.deepEqual(await checkDestinationTablePrivileges.run(context), [])
  })
})
