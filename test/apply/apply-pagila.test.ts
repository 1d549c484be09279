import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { dumpSchema, runSqlFile } from '../support/client-tools.js'
import { sequenceValues } from '../support/sequence-values.js'
import { withClient } from '../support/test-databases.js'
import { assertSameData, listTables, PAGILA } from '../copy/copy-test-kit.js'
import { createApplyPair, runCli, writeSpec } from './apply-kit.js'


test('apply: pagila whole database — schema identical, every row and sequence equal, a re-run changes nothing', async (t) => {
  const pair = await createApplyPair(t)
  runSqlFile(pair.source.url, path.join(PAGILA, 'pagila-schema.sql'))
  runSqlFile(pair.source.url, path.join(PAGILA, 'pagila-data.sql'))
  await withClient(pair.source.url, (client) => client.query('ANALYZE'))
  const spec = await writeSpec(
    pair,
    'types: [schema, full]\noptions: { parallel: { tables: 4, splitLargerThan: 256KiB } }',
  )

  const first = await runCli(pair, ['apply', '--spec', spec])
  assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`)
  assert.match(first.stdout, /schema-pre-data: done/)
  assert.match(first.stdout, /full: done .*rows 4\d,\d{3}/)
  assert.match(first.stdout, /sequences: done/)

  assert.equal(dumpSchema(pair.destination.url, ['--exclude-schema=pgshift']), dumpSchema(pair.source.url))
  await assertSameData({ sourceDb: pair.source, destinationDb: pair.destination }, await listTables(pair.source.url, ['public']))
  assert.deepEqual(await sequenceValues(pair.destination.url), await sequenceValues(pair.source.url))

  const again = await runCli(pair, ['apply', '--spec', spec])
  assert.equal(again.code, 0, again.stderr)
  assert.match(again.stdout, /schema-pre-data: done .*statements 0/)
  assert.match(again.stdout, /full: done .*copiedUnits 0/)
  assert.match(again.stdout, /schema-post-data: done .*statements 0/)
  await withClient(pair.destination.url, async (client) => {
    const { rows } = await client.query(`SELECT phase, status FROM pgshift.phases ORDER BY phase`)
    assert.deepEqual(rows, [
      { phase: 'full', status: 'done' },
      { phase: 'schema-post-data', status: 'done' },
      { phase: 'schema-pre-data', status: 'done' },
      { phase: 'sequences', status: 'done' },
    ])
  })
})
