import assert from 'node:assert/strict'
import { test } from 'node:test'
import { migratedPair } from './validate-kit.js'

test('sequences: behind on the destination is a difference, at or past the source is not', async (t) => {
  const pair = await migratedPair(
    t,
    `CREATE TABLE notes (id serial PRIMARY KEY, body text);
     INSERT INTO notes (body) SELECT 'note ' || g FROM generate_series(1, 50) g;
     CREATE TABLE tickets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text);
     INSERT INTO tickets (title) SELECT 'ticket ' || g FROM generate_series(1, 7) g;
     CREATE SEQUENCE invoice_numbers START 1000 INCREMENT -1 MINVALUE 1 MAXVALUE 1000;
     SELECT nextval('invoice_numbers') FROM generate_series(1, 3);`,
    '',
  )
  // the copy moves rows, not sequence positions: the destination's are where they started
  const before = await pair.validate()
  assert.equal(before.status, 'different')
  assert.ok(before.tables.every((table) => table.status === 'equal'))
  assert.deepEqual(before.sequences, [
    { label: 'public.invoice_numbers', sourceValue: '998', destinationValue: '1000', status: 'behind' },
    { label: 'public.notes_id_seq', sourceValue: '50', destinationValue: '1', status: 'behind' },
    { label: 'public.tickets.id', sourceValue: '7', destinationValue: '1', status: 'behind' },
  ])
  const run = await pair.cli(['validate', '--spec', pair.specFile])
  assert.equal(run.code, 1, run.stderr)
  assert.match(run.stdout, /^pgshift validate validate-test: different — 3 sequences behind or missing on the destination$/m)
  assert.match(run.stdout, /^public\.notes_id_seq +50 +1 +behind$/m)
  const skipped = await pair.cli(['validate', '--spec', pair.specFile, '--no-sequences'])
  assert.equal(skipped.code, 0, skipped.stdout)

  // cutover-like: the destination at the source's position, or past it with a safety gap
  await pair.sql(
    'destination',
    `SELECT setval('invoice_numbers', 990); SELECT setval('notes_id_seq', 50);
     SELECT setval(pg_get_serial_sequence('tickets', 'id'), 1007);`,
  )
  const after = await pair.validate()
  assert.equal(after.status, 'equal', JSON.stringify(after.sequences))
  assert.deepEqual(
    after.sequences?.map((sequence) => sequence.status),
    ['ahead', 'equal', 'ahead'],
  )

  await pair.sql('destination', 'DROP SEQUENCE invoice_numbers')
  const dropped = await pair.validate()
  assert.equal(dropped.sequences?.[0]?.status, 'missing')
  assert.equal(dropped.status, 'different')
})
