import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkDestinationPrivileges } from './check-destination-privileges.js'

const prepare = createPrepare(support)

describe('checkDestinationPrivileges', () => {
  test('DESTINATION_PRIVILEGES: a role that may create nothing', async (t) => {
    const { context, destinationRole } = await prepare(t, {
      destinationRole: '',
      source: 'CREATE SCHEMA sales; CREATE TABLE sales.orders (id int PRIMARY KEY)',
      destination: 'CREATE SCHEMA sales_eu',
      spec: 'objects:\n  - schema: sales\n    rename: sales_eu',
    })
    const role = destinationRole ?? ''
    const findings = await checkDestinationPrivileges.run(context)
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, finding.object, finding.message]),
      [
        [
          'DESTINATION_PRIVILEGES',
          'error',
          role,
          `the destination role ${role} lacks CREATE on the destination database, and must ` +
            'create the schemas pgshift (pgshift holds the migration state)',
        ],
        [
          'DESTINATION_PRIVILEGES',
          'error',
          role,
          `the destination role ${role} may not SET session_replication_role: copying and ` +
            'applying changes run with it set to replica, so that triggers and foreign keys do ' +
            'not fire on rows that already passed them on the source',
        ],
        [
          'DESTINATION_PRIVILEGES',
          'error',
          'sales_eu',
          `the destination role ${role} lacks CREATE on schema sales_eu, where the migration ` +
            'creates tables',
        ],
      ],
    )
    assert.equal(findings[2]?.hint, `GRANT CREATE, USAGE ON SCHEMA sales_eu TO ${role};`)
  })

  test('a role with the grants it needs', async (t) => {
    const { context } = await prepare(t, {
      destinationRole: '',
      source: 'CREATE SCHEMA sales; CREATE TABLE sales.orders (id int PRIMARY KEY)',
      destination:
        'DO $$ BEGIN EXECUTE format($f$GRANT CREATE ON DATABASE %I TO {role}$f$, ' +
        'current_database()); END $$; ' +
        'GRANT SET ON PARAMETER session_replication_role TO {role}',
      spec: 'objects:\n  - schema: sales',
    })
    assert.deepEqual(await checkDestinationPrivileges.run(context), [])
  })

  test('a superuser needs nothing more', async (t) => {
    const { context } = await prepare(t, { source: 'CREATE TABLE t (id int)' })
    assert.deepEqual(await checkDestinationPrivileges.run(context), [])
  })
})
