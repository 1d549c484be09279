import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkSequenceSelection } from './check-sequence-selection.js'

const prepare = createPrepare(support)

const source = `
  CREATE SCHEMA seqs;
  CREATE SCHEMA app;
  CREATE SEQUENCE seqs.shared;
  CREATE TABLE app.uses_shared (id bigint DEFAULT nextval('seqs.shared'));
  CREATE TABLE app.serial (id serial PRIMARY KEY);
  CREATE TABLE app.identity (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY);`
// PostgreSQL keeps an owned (SERIAL) sequence in its table's schema: it refuses to move one
// elsewhere, so only a plain nextval default can reach into another schema

describe('checkSequenceSelection', () => {
  test('SEQUENCE_NOT_SELECTED: a default from a sequence of another schema', async (t) => {
    const { context } = await prepare(t, { source, spec: 'objects:\n  - schema: app' })
    const findings = await checkSequenceSelection.run(context)
    assert.deepEqual(
      findings.map((finding) => [finding.code, finding.severity, finding.object]),
      [
        ['SEQUENCE_NOT_SELECTED', 'error', 'app.uses_shared.id'],
      ],
    )
    assert.equal(
      findings[0]?.message,
      'column id of app.uses_shared takes its default from sequence seqs.shared, which the ' +
        'migration does not select: the destination table could not be created with that ' +
        'default, nor the sequence set at cutover',
    )
  })

  test('SEQUENCE_NOT_SELECTED: a sequence left out by an exclude glob', async (t) => {
    const { context } = await prepare(t, {
      source,
      spec: 'objects:\n  - schema: app\n  - schema: seqs\n    exclude: [sha*]',
    })
    const findings = await checkSequenceSelection.run(context)
    assert.deepEqual(findings.map((finding) => finding.object), ['app.uses_shared.id'])
  })

  test('an exclude glob does not part a SERIAL column from its sequence', async (t) => {
    const { context } = await prepare(t, {
      source,
      spec: 'objects:\n  - schema: app\n    exclude: [uses_shared, "*_seq"]',
    })
    assert.deepEqual(await checkSequenceSelection.run(context), [])
  })

  test('listed tables take their own SERIAL sequences along', async (t) => {
    const { context } = await prepare(t, {
      source,
      spec: 'objects:\n  - schema: app\n    tables:\n      - name: serial\n      - name: identity',
    })
    assert.deepEqual(await checkSequenceSelection.run(context), [])
  })

  test('selecting the schema of the sequence settles it', async (t) => {
    const spec = 'objects:\n  - schema: app\n  - schema: seqs'
    const { context } = await prepare(t, { source, spec })
    assert.deepEqual(await checkSequenceSelection.run(context), [])
  })
})
