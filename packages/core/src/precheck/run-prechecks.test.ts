import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Precheck } from './precheck-context.js'
import { compareFindings } from './precheck-finding.js'
import type { PrecheckFinding } from './precheck-finding.js'
import * as support from '../../../../test/support/test-databases.js'
import { createPrepare } from './precheck-test-helpers.js'
import { runPrechecks } from './run-prechecks.js'

const prepare = createPrepare(support)

function finding(
  code: PrecheckFinding['code'],
  severity: PrecheckFinding['severity'],
  object?: string,
): PrecheckFinding {
  return { code, severity, message: `${code} ${object ?? ''}`, hint: 'fix it', object }
}

describe('runPrechecks', () => {
  test('a clean migration: only the unbounded WAL retention warning', async (t) => {
    const { context } = await prepare(t, {
      source: `
        CREATE SCHEMA sales;
        CREATE TABLE sales.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, region text);
        CREATE TABLE sales.items (id serial PRIMARY KEY, order_id bigint REFERENCES sales.orders);`,
      spec: [
        'types: [schema, full, incremental]',
        'objects:',
        '  - schema: sales',
        '    rename: sales_eu',
        '    tables:',
        '      - name: orders',
        '        where: "id > 0"',
        '        columns: { rename: { region: area } }',
        '      - name: items',
      ].join('\n'),
      options: { walSampleMs: 100 },
    })
    const findings = await runPrechecks(context)
    assert.deepEqual(
      findings.map((found) => `${found.severity} ${found.code}`),
      ['warning WAL_RETENTION'],
    )
  })

  test('a check that cannot run becomes PRECHECK_FAILED; the others still report', async (t) => {
    const { context } = await prepare(t)
    const broken: Precheck = {
      name: 'broken',
      run: () => Promise.reject(new Error('permission denied for view pg_stat_activity')),
    }
    const working: Precheck = {
      name: 'working',
      run: async () => [
        finding('TABLE_WITHOUT_KEY', 'warning', 'public.b'),
        finding('WAL_LEVEL', 'error', 'source'),
      ],
    }
    assert.deepEqual(await runPrechecks(context, [broken, working]), [
      finding('WAL_LEVEL', 'error', 'source'),
      {
        code: 'PRECHECK_FAILED',
        severity: 'warning',
        message: 'the broken check could not run: permission denied for view pg_stat_activity',
        hint:
          'Fix the cause (often a missing privilege on the source or destination) and plan ' +
          'again.',
        object: 'broken',
      },
      finding('TABLE_WITHOUT_KEY', 'warning', 'public.b'),
    ])
  })

  test('findings sort by severity, code, then object', () => {
    const sorted = [
      finding('WAL_RETENTION', 'warning', 'source'),
      finding('TABLE_WITHOUT_KEY', 'warning', 'public.b'),
      finding('TABLE_WITHOUT_KEY', 'warning', 'public.a'),
      finding('WAL_LEVEL', 'error', 'source'),
      finding('DESTINATION_CONFLICT', 'error'),
    ].sort(compareFindings)
    assert.deepEqual(
      sorted.map((found) => `${found.severity} ${found.code} ${found.object ?? '-'}`),
      [
        'error DESTINATION_CONFLICT -',
        'error WAL_LEVEL source',
        'warning TABLE_WITHOUT_KEY public.a',
        'warning TABLE_WITHOUT_KEY public.b',
        'warning WAL_RETENTION source',
      ],
    )
  })
})
