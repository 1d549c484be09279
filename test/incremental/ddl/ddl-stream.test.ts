import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  decodeCapturedDdl,
  installDdlCapture,
  isDdlLogTable,
  translateCapturedDdl,
} from '../../../packages/core/src/incremental/ddl/index.js'
import type { RelationMessage } from '../../../packages/core/src/incremental/pgoutput/index.js'
import { openReplicationStream } from '../../../packages/core/src/incremental/replication-stream.js'
import { withClient } from '../../support/test-databases.js'
import { createReplicationSource, readTransaction, runSql, texts } from '../replication-test-kit.js'
import { MIGRATION, scopeOf } from './ddl-test-kit.js'

test('captured DDL rides the stream between the DML of its transaction, in commit order; a table it creates streams its rows', async (t) => {
  const source = await createReplicationSource(t, 'CREATE TABLE t (id int PRIMARY KEY, v text)', [{ schema: 'public', name: 't' }])
  const scope = scopeOf({ tables: [{ schema: 'public', name: 't', isListed: false }], wholeSchemas: [{ schema: 'public' }] })
  await withClient(source.db.url, (client) => installDdlCapture(client, { migration: MIGRATION, publication: source.publication, scope }))
  const stream = await openReplicationStream(source.url, { slot: source.slot, publications: [source.publication], protocolVersion: 2 })
  t.after(() => stream.close())

  await runSql(
    source,
    `BEGIN;
     INSERT INTO t VALUES (1, 'before');
     ALTER TABLE t ADD n int DEFAULT 7;
     INSERT INTO t VALUES (2, 'after', 8);
     CREATE TABLE fresh (id int PRIMARY KEY); INSERT INTO fresh VALUES (1);
     COMMIT`,
  )
  // the install's transaction publishes nothing; should it stream as an empty one, skip it
  let items = await readTransaction(stream)
  if (!items.some((item) => item.message.kind === 'insert')) items = await readTransaction(stream)
  const relations = new Map<number, RelationMessage>()
  const sequence: string[] = []
  const captured = []
  for (const { message } of items) {
    if (message.kind === 'relation') relations.set(message.relationOid, message)
    if (message.kind !== 'insert') {
      if (message.kind !== 'relation') sequence.push(message.kind)
      continue
    }
    const relation = relations.get(message.relationOid)
    assert.ok(relation)
    const values = texts(message.new) ?? []
    if (isDdlLogTable(relation.schema, relation.name)) {
      const row = Object.fromEntries(relation.columns.map((column, index) => [column.name, values[index] ?? null]))
      const ddl = decodeCapturedDdl(row)
      captured.push(ddl)
      sequence.push(`ddl ${ddl.commandTag}`)
    } else {
      sequence.push(`${relation.name} ${values.join(',')}`)
    }
  }
  assert.deepEqual(sequence, [
    'begin',
    't 1,before',
    'ddl ALTER TABLE',
    't 2,after,8',
    'ddl CREATE TABLE',
    'fresh 1',
    'commit',
  ])
  const [alter, create] = await Promise.all(captured.map((ddl) => translateCapturedDdl(ddl, scope)))
  assert.deepEqual(alter?.kind === 'apply' && alter.statements.slice(1), ['ALTER TABLE public.t ADD COLUMN n int DEFAULT 7'])
  assert.deepEqual(create?.kind === 'apply' && create.statements.slice(1), ['CREATE TABLE public.fresh (id int PRIMARY KEY)'])
})
