import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderStartReplication } from './start-replication-command.js'

test('protocol 2 with streaming and messages', () => {
  assert.equal(
    renderStartReplication({
      slot: 'pgshift_orders',
      startLsn: 0x16_b374d848n,
      protocolVersion: 2,
      publications: ['pgshift_orders'],
      streaming: true,
      messages: true,
    }),
    "START_REPLICATION SLOT pgshift_orders LOGICAL 16/B374D848 (proto_version '2', publication_names 'pgshift_orders', streaming 'on', messages 'true')",
  )
})

test('protocol 1 from 0/0; publication names quoted as identifiers inside the literal', () => {
  assert.equal(
    renderStartReplication({
      slot: 'pgshift_x',
      startLsn: 0n,
      protocolVersion: 1,
      publications: ['a', "Mixed, 'odd'"],
      streaming: false,
      messages: false,
    }),
    `START_REPLICATION SLOT pgshift_x LOGICAL 0/0 (proto_version '1', publication_names 'a,"Mixed, ''odd''"')`,
  )
})

test('refuses streaming on protocol 1 and an empty publication list', () => {
  const base = { slot: 's', startLsn: 0n, publications: ['p'], messages: false }
  assert.throws(() => renderStartReplication({ ...base, protocolVersion: 1, streaming: true }), /protocol version 2/)
  assert.throws(() => renderStartReplication({ ...base, publications: [], protocolVersion: 2, streaming: true }), /publication/)
})
