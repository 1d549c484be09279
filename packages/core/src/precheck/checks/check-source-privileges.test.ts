import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkSourcePrivileges } from './check-source-privileges.js'

const prepare = createPrepare(support)

describe('checkSourcePrivileges', () => {
  test('SOURCE_PRIVILEGES: a bare role, for incremental with DDL capture', async (t) => {
    const { context, sourceRole } = await prepare(t, {
      sourceRole: '',
      source: 'CREATE TABLE orders (id int PRIMARY KEY); CREATE TABLE items (id int PRIMARY KEY)',
      spec: 'types: [schema, full, incremental]\noptions: { ddl: true }',
    })
    const role = sourceRole ?? ''
    const findings = await checkSourcePrivileges.run(context)
    assert.deepEqual(
      findings.map((finding) => [finding.object, finding.message]),
      [
        [
          'public.items',
          `the source role ${role} cannot SELECT from public.items, which the migration copies`,
        ],
        [
          'public.orders',
          `the source role ${role} cannot SELECT from public.orders, which the migration copies`,
        ],
        [
          role,
          `the source role ${role} has neither REPLICATION nor superuser: incremental migration ` +
            'cannot create its replication slot',
        ],
        [
          role,
          `the source role ${role} lacks CREATE on the source database: incremental migration ` +
            'cannot create its publication',
        ],
        [
          'public.items',
          `the source role ${role} does not own public.items: only an owner (or a superuser) ` +
            'may add it to the publication incremental migration reads',
        ],
        [
          'public.orders',
          `the source role ${role} does not own public.orders: only an owner (or a superuser) ` +
            'may add it to the publication incremental migration reads',
        ],
        [
          role,
          `the source role ${role} is not a superuser: options.ddl needs an event trigger on ` +
            'the source, and only superusers can create one',
        ],
      ],
    )
    assert.ok(findings.every((finding) => finding.code === 'SOURCE_PRIVILEGES'))
    assert.ok(findings.every((finding) => finding.severity === 'error'))
    assert.equal(
      findings[0]?.hint,
      `GRANT SELECT ON public.items TO ${role}; (or GRANT pg_read_all_data TO ${role};)`,
    )
  })

  test('a full copy only needs SELECT', async (t) => {
    const { context } = await prepare(t, {
      sourceRole: '',
      source: 'CREATE TABLE orders (id int PRIMARY KEY); GRANT SELECT ON orders TO {role}',
    })
    assert.deepEqual(await checkSourcePrivileges.run(context), [])
  })

  test('an owning REPLICATION role with CREATE on the database suffices', async (t) => {
    const { context } = await prepare(t, {
      sourceRole: 'REPLICATION',
      source:
        'CREATE TABLE orders (id int PRIMARY KEY); ALTER TABLE orders OWNER TO {role}; ' +
        'DO $$ BEGIN EXECUTE format($f$GRANT CREATE ON DATABASE %I TO {role}$f$, ' +
        'current_database()); END $$',
      spec: 'types: [schema, full, incremental]',
    })
    assert.deepEqual(await checkSourcePrivileges.run(context), [])
  })
})
