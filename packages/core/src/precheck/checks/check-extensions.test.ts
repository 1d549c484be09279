import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import * as support from '../../../../../test/support/test-databases.js'
import { createPrepare } from '../precheck-test-helpers.js'
import { checkExtensions } from './check-extensions.js'

const prepare = createPrepare(support)

describe('checkExtensions', () => {
  test('extensions the destination server has pass', async (t) => {
    const { context } = await prepare(t, {
      source: 'CREATE EXTENSION citext; CREATE TABLE users (email citext PRIMARY KEY)',
    })
    assert.deepEqual(
      context.sourceModel.extensions.map((extension) => extension.name),
      ['citext'],
    )
    assert.deepEqual(await checkExtensions.run(context), [])
  })

  test('EXTENSION_UNAVAILABLE: an extension the destination server lacks', async (t) => {
    const { context } = await prepare(t, {
      source: 'CREATE EXTENSION citext; CREATE TABLE users (email citext PRIMARY KEY)',
    })
    // both test clusters run the same binaries: stand in an extension only the source has
    const [citext] = context.sourceModel.extensions
    assert.ok(citext)
    const sourceModel = {
      ...context.sourceModel,
      extensions: [{ ...citext, id: 'extension:postgis', name: 'postgis', version: '3.4.2' }],
    }
    assert.deepEqual(await checkExtensions.run({ ...context, sourceModel }), [
      {
        code: 'EXTENSION_UNAVAILABLE',
        severity: 'error',
        message:
          'extension postgis (3.4.2 on the source) is used by the selection but is not ' +
          'available on the destination server',
        hint:
          'Install postgis on the destination server (its package, or enable it on the managed ' +
          'service), or leave out the objects that use it.',
        object: 'postgis',
      },
    ])
  })
})
