import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { translateCapturedDdl, UnsupportedDdlError } from '../../../packages/core/src/incremental/ddl/index.js'
import type { DdlScope, DdlTranslation } from '../../../packages/core/src/incremental/ddl/index.js'
import { createTestDatabase, withClient } from '../../support/test-databases.js'
import { capturedSince, createCaptureSource, run, scopeOf, tableDefinition } from './ddl-test-kit.js'

// sales.orders is listed with renames and an excluded column; app is selected whole (minus
// tmp_*), both schemas renamed; public is not selected.
const SOURCE_SQL = `
  CREATE SCHEMA sales; CREATE SCHEMA app;
  CREATE TABLE sales.orders (id int PRIMARY KEY, amount numeric, internal_note text, created_at timestamptz DEFAULT now());
  CREATE TABLE app.items (id int PRIMARY KEY, name text);
  INSERT INTO sales.orders VALUES (1, 5, 'n', now()); INSERT INTO app.items VALUES (1, 'a');
  CREATE TABLE public.other (id int PRIMARY KEY);`
const DESTINATION_SQL = `
  CREATE SCHEMA sales_eu; CREATE SCHEMA app_eu;
  CREATE TABLE sales_eu.orders_archive (id int PRIMARY KEY, total_amount numeric, created_at timestamptz DEFAULT now());
  CREATE TABLE app_eu.items (id int PRIMARY KEY, name text);`

function initialScope(): DdlScope {
  return scopeOf({
    tables: [
      {
        schema: 'sales',
        name: 'orders',
        destinationName: 'orders_archive',
        columns: { exclude: ['internal_note'], rename: { amount: 'total_amount' } },
      },
      { schema: 'app', name: 'items', isListed: false },
    ],
    wholeSchemas: [{ schema: 'app', exclude: ['tmp_*'] }],
    schemaRenames: { sales: 'sales_eu', app: 'app_eu' },
  })
}

/** Source and destination, and a replay of what the source captures since the last call. */
async function setUp(t: TestContext) {
  const source = await createCaptureSource(t, SOURCE_SQL, initialScope())
  const destination = await createTestDatabase(t, 'destination')
  await run(destination.url, DESTINATION_SQL)
  let scope = initialScope()
  let last = 0n
  /** Runs `sql` on the source, translates what it captured, applies it; the translations. */
  const replay = async (sql: string): Promise<DdlTranslation[]> => {
    await run(source.url, sql)
    const translations: DdlTranslation[] = []
    for (const captured of await capturedSince(source.url, last)) {
      last = captured.id
      const translation = await translateCapturedDdl(captured, scope)
      translations.push(translation)
      if (translation.kind !== 'apply') continue
      scope = translation.scope
      await run(destination.url, ['BEGIN', ...translation.statements, 'COMMIT'].join(';\n'))
    }
    return translations
  }
  return { source, destination, replay, scope: () => scope }
}

function applied(translations: readonly DdlTranslation[]): string[] {
  return translations.flatMap((translation) => (translation.kind === 'apply' ? translation.statements.slice(1) : []))
}

async function rejectsNaming(promise: Promise<unknown>, statement: string, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UnsupportedDdlError, String(error))
    assert.equal(error.statement, statement)
    assert.match(error.message, reason)
    assert.ok(error.message.includes(statement))
    return true
  })
}

test('ALTER TABLE on a listed table: every supported sub-command, through table, column and schema renames', async (t) => {
  const { replay, destination } = await setUp(t)
  assert.deepEqual(applied(await replay('ALTER TABLE sales.orders ADD COLUMN discount numeric DEFAULT 0')), [
    'ALTER TABLE sales_eu.orders_archive ADD COLUMN discount numeric DEFAULT 0',
  ])
  assert.deepEqual(applied(await replay('ALTER TABLE sales.orders ALTER COLUMN amount TYPE numeric(12,2) USING round(amount, 2)')), [
    'ALTER TABLE sales_eu.orders_archive ALTER COLUMN total_amount TYPE numeric(12, 2) USING round(total_amount, 2)',
  ])
  assert.deepEqual(applied(await replay('ALTER TABLE sales.orders ADD CONSTRAINT amount_positive CHECK (amount > 0)')), [
    'ALTER TABLE sales_eu.orders_archive ADD CONSTRAINT amount_positive CHECK (total_amount > 0)',
  ])
  assert.deepEqual(applied(await replay('ALTER TABLE sales.orders ALTER COLUMN created_at DROP DEFAULT')), [
    'ALTER TABLE sales_eu.orders_archive ALTER COLUMN created_at DROP DEFAULT',
  ])
  assert.deepEqual(applied(await replay('ALTER TABLE sales.orders ADD CONSTRAINT orders_amount_key UNIQUE (amount, id)')), [
    'ALTER TABLE sales_eu.orders_archive ADD CONSTRAINT orders_amount_key UNIQUE (total_amount, id)',
  ])
  assert.deepEqual(applied(await replay('CREATE INDEX orders_big ON sales.orders (amount) WHERE amount > 10')), [
    'CREATE INDEX orders_big ON sales_eu.orders_archive (total_amount) WHERE total_amount > 10',
  ])
  // unqualified: the captured search_path resolves it; the destination's is set to the mapped one
  const unqualified = await replay('SET search_path = sales, public; ALTER TABLE orders ADD note2 text')
  assert.equal(unqualified[0]?.kind === 'apply' && unqualified[0].statements[0], 'SET LOCAL search_path TO pg_catalog, sales_eu, public')
  assert.deepEqual(applied(unqualified), ['ALTER TABLE sales_eu.orders_archive ADD COLUMN note2 text'])
  // an excluded column: its sub-commands are left out, alone it is nothing to do
  const excluded = await replay('ALTER TABLE sales.orders DROP COLUMN internal_note, ADD COLUMN tag text')
  assert.deepEqual(applied(excluded), ['ALTER TABLE sales_eu.orders_archive ADD COLUMN tag text'])
  assert.deepEqual(excluded[0]?.kind === 'apply' && excluded[0].notes, ['column internal_note is excluded'])
  assert.deepEqual(await replay('ALTER TABLE sales.orders ADD COLUMN internal_note text'), [
    { kind: 'ignore', reason: 'nothing of it applies to the destination: column internal_note is excluded' },
  ])
  // a constraint on an excluded column is left out, as the schema phase does
  const check = await replay("ALTER TABLE sales.orders ADD CONSTRAINT note_short CHECK (length(internal_note) < 100)")
  assert.equal(check[0]?.kind, 'ignore')
  // a default evaluated when the column is added: the source's value for existing rows, then the expression
  const stamped = await replay('ALTER TABLE sales.orders ADD COLUMN seen_at timestamptz DEFAULT now()')
  const [add, setDefault] = applied(stamped)
  assert.match(add ?? '', /^ALTER TABLE sales_eu\.orders_archive ADD COLUMN seen_at timestamptz DEFAULT '\d{4}-\d\d-\d\d [\d:.]+\+00'::timestamptz$/)
  assert.equal(setDefault, 'ALTER TABLE sales_eu.orders_archive ALTER COLUMN seen_at SET DEFAULT now()')
  await withClient(destination.url, async (client) => {
    await client.query('INSERT INTO sales_eu.orders_archive (id) VALUES (1)')
  })
  const sourceSeen = await withClient(destination.url, (client) => client.query('SELECT seen_at::text AS v FROM sales_eu.orders_archive'))
  assert.match(String(sourceSeen.rows[0]?.v), /^\d{4}-/)
  assert.deepEqual(applied(await replay('ALTER TABLE sales.orders RENAME COLUMN created_at TO created')), [
    'ALTER TABLE sales_eu.orders_archive RENAME COLUMN created_at TO created',
  ])
  assert.deepEqual(applied(await replay('ALTER TABLE sales.orders DROP COLUMN amount')), [
    'ALTER TABLE sales_eu.orders_archive DROP COLUMN total_amount RESTRICT',
  ])
  const definition = await tableDefinition(destination.url, 'sales_eu', 'orders_archive')
  assert.deepEqual((definition['columns'] as { name: string }[]).map((column) => column.name), [
    'id', 'created', 'discount', 'note2', 'tag', 'seen_at',
  ])
})

test('a whole schema: CREATE TABLE (multi-statement string), rename, index, drop; source and destination definitions match', async (t) => {
  const { replay, source, destination, scope } = await setUp(t)
  const created = await replay(`
    CREATE TABLE app.events (
      id bigserial PRIMARY KEY, item_id int REFERENCES app.items (id) ON DELETE CASCADE,
      payload jsonb NOT NULL DEFAULT '{}', at timestamptz DEFAULT now(), CHECK (id > 0));
    INSERT INTO app.events (item_id) VALUES (1);
    ALTER TABLE app.events ADD kind text NOT NULL DEFAULT 'x', ADD CONSTRAINT kind_short CHECK (length(kind) < 10);
    CREATE UNIQUE INDEX ON app.events (item_id, kind);
    CREATE TABLE app.tmp_scratch (v text)`)
  assert.deepEqual(created.map((translation) => translation.kind), ['apply', 'apply', 'apply', 'ignore'])
  assert.deepEqual(applied(created).slice(0, 1), [
    "CREATE TABLE app_eu.events (id bigserial PRIMARY KEY, item_id int REFERENCES app_eu.items (id) ON DELETE CASCADE, payload jsonb NOT NULL DEFAULT '{}', at timestamptz DEFAULT now(), CHECK (id > 0))",
  ])
  assert.deepEqual(await tableDefinition(destination.url, 'app_eu', 'events'), await tableDefinition(source.url, 'app', 'events'))
  assert.ok(scope().table('app', 'events'))

  const renamed = await replay('ALTER TABLE app.events RENAME TO app_events; ALTER INDEX app.events_item_id_kind_idx RENAME TO events_item_kind')
  assert.deepEqual(applied(renamed), [
    'ALTER TABLE app_eu.events RENAME TO app_events',
    'ALTER INDEX app_eu.events_item_id_kind_idx RENAME TO events_item_kind',
  ])
  assert.equal(scope().table('app', 'events'), undefined)
  assert.equal(scope().table('app', 'app_events')?.destinationName, 'app_events')
  assert.deepEqual(await tableDefinition(destination.url, 'app_eu', 'app_events'), await tableDefinition(source.url, 'app', 'app_events'))

  assert.deepEqual(applied(await replay('DROP INDEX app.events_item_kind; DROP TABLE app.app_events, app.tmp_scratch')), [
    'DROP INDEX IF EXISTS app_eu.events_item_kind',
    'DROP TABLE app_eu.app_events',
  ])
  assert.equal(scope().table('app', 'app_events'), undefined)
  await withClient(destination.url, async (client) => {
    assert.equal((await client.query("SELECT to_regclass('app_eu.app_events') AS t")).rows[0].t, null)
  })
})

test('DDL on objects outside the selection is ignored; DDL inside a transaction with DML is captured', async (t) => {
  const { replay } = await setUp(t)
  const translations = await replay(
    'BEGIN; INSERT INTO public.other VALUES (1); ALTER TABLE public.other ADD x int; CREATE INDEX ON public.other (x); ' +
      'CREATE TABLE public.more (id int); DROP TABLE public.more; COMMIT',
  )
  assert.deepEqual(translations.map((translation) => translation.kind), ['ignore', 'ignore', 'ignore', 'ignore'])
  const mixed = await replay("BEGIN; INSERT INTO app.items VALUES (2, 'b'); ALTER TABLE app.items ADD qty int DEFAULT 1; INSERT INTO app.items VALUES (3, 'c', 2); COMMIT")
  assert.deepEqual(applied(mixed), ['ALTER TABLE app_eu.items ADD COLUMN qty int DEFAULT 1'])
})

test('renames the spec depends on stop with an error naming the statement', async (t) => {
  const { replay } = await setUp(t)
  await rejectsNaming(replay('ALTER TABLE sales.orders RENAME TO orders2'), 'ALTER TABLE sales.orders RENAME TO orders2', /listed by name in the spec/)
  const fresh = await setUp(t)
  await rejectsNaming(fresh.replay('ALTER TABLE sales.orders RENAME COLUMN amount TO amt'), 'ALTER TABLE sales.orders RENAME COLUMN amount TO amt', /excluded or renamed by the spec/)
})

test('each unsupported statement is named', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['ALTER TABLE app.items SET SCHEMA public', 'ALTER TABLE app.items SET SCHEMA public', /another schema/],
    ['CREATE TABLE app.copy AS SELECT * FROM app.items', 'CREATE TABLE app.copy AS SELECT * FROM app.items', /CREATE TABLE AS/],
    ['ALTER TABLE app.items ADD token uuid DEFAULT gen_random_uuid()', 'ALTER TABLE app.items ADD token uuid DEFAULT gen_random_uuid()', /computed row by row/],
    ['ALTER TABLE app.items ADD serial_no bigserial', 'ALTER TABLE app.items ADD serial_no bigserial', /computed row by row/],
    ['CREATE UNLOGGED TABLE app.fast (id int)', 'CREATE UNLOGGED TABLE app.fast (id int)', /UNLOGGED/],
    ['ALTER TABLE app.tmp_old RENAME TO newcomer', 'ALTER TABLE app.tmp_old RENAME TO newcomer', /into the selection/],
    ['SELECT 1; DO $$ BEGIN ALTER TABLE app.items ADD z int; END $$', 'SELECT 1; DO $$ BEGIN ALTER TABLE app.items ADD z int; END $$', /function or a DO block/],
    ['ALTER TABLE app.items ENABLE ROW LEVEL SECURITY', 'ALTER TABLE app.items ENABLE ROW LEVEL SECURITY', /EnableRowSecurity is not supported/],
    ['CREATE VIEW app.v AS SELECT * FROM app.items', 'CREATE VIEW app.v AS SELECT * FROM app.items', /CREATE VIEW/],
    ['ALTER TABLE sales.orders ADD other_id int REFERENCES public.other (id)', 'ALTER TABLE sales.orders ADD other_id int REFERENCES public.other (id)', /does not move/],
  ]
  for (const [sql, statement, reason] of cases) {
    const { replay } = await setUp(t)
    if (sql.includes('tmp_old')) await replay('CREATE TABLE app.tmp_old (id int)')
    await rejectsNaming(replay(sql), statement, reason)
  }
})

test('rows of another migration are ignored', async (t) => {
  const { source } = await setUp(t)
  await run(source.url, 'ALTER TABLE app.items ADD extra int')
  const [captured] = await capturedSince(source.url)
  assert.ok(captured)
  assert.deepEqual(await translateCapturedDdl({ ...captured, migration: 'someone-else' }, initialScope()), {
    kind: 'ignore',
    reason: 'captured for migration someone-else',
  })
})
