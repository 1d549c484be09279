import assert from 'node:assert/strict'
import { join } from 'node:path'
import { before, describe, test } from 'node:test'
import { inspect } from 'node:util'
import { ConnectionUrl } from './connection-url.js'
import { loadSpecFile, loadSpecText } from './load-spec.js'
import type { MigrationSpec } from './migration-spec.js'
import { redactSecrets, specSecrets } from './redact-secrets.js'
import { formatProblem } from './spec-problem.js'
import { WebhookUrl } from './webhook-url.js'

const good = join(__dirname, '..', '..', 'test-fixtures', 'specs', 'good')

const env = {
  SOURCE_DATABASE_URL: 'postgres://app:s3cret@db.example:5432/sales',
  TARGET_DATABASE_URL: 'postgres://app:t0psecret@eu.example/sales',
  TARGET_USER: 'eu',
  TARGET_PASSWORD: 'p%40ss%2Fword',
  PARALLEL_TABLES: '8',
}

const passwords = ['s3cret', 't0psecret', 'p%40ss%2Fword', 'p@ss/word', 'XyZ']

function assertNoPassword(text: string): void {
  for (const password of passwords) assert.ok(!text.includes(password), `${password} in ${text}`)
}

describe('loadSpecFile', () => {
  before(async () => {
    // the first load pays for the schema compile and the parser's WebAssembly
    await loadSpecFile(join(good, 'maximal.yaml'), { env })
  })

  test('normalises the minimal spec with every default', async () => {
    const file = join(good, 'minimal.yaml')
    const { spec, problems } = await loadSpecFile(file, { env })
    assert.deepEqual(problems, [])
    const expected: MigrationSpec = {
      apiVersion: 'pgshift/v1',
      kind: 'Migration',
      sourceFile: file,
      metadata: { name: 'minimal', description: null },
      source: { url: ConnectionUrl.parse(env.SOURCE_DATABASE_URL) },
      destination: { url: ConnectionUrl.parse(env.TARGET_DATABASE_URL) },
      types: ['schema', 'full'],
      conflicts: 'fail',
      objects: null,
      options: {
        parallel: { tables: 4, splitLargerThanBytes: 268_435_456 },
        throttle: {
          full: { rowsPerSecond: 0, bytesPerSecond: 0 },
          incremental: { rowsPerSecond: 0, bytesPerSecond: 0 },
        },
        retry: { connectionMs: 43_200_000, otherMs: 600_000 },
        ddl: false,
        validate: 'checksum',
        alerts: { maxLagSeconds: null, webhook: null },
      },
    }
    assert.deepEqual(spec, expected)
    assert.equal(spec?.source.url.reveal(), env.SOURCE_DATABASE_URL)
    assert.equal(spec?.destination.url.reveal(), env.TARGET_DATABASE_URL)
  })

  test('normalises the maximal spec, every field set', async () => {
    const file = join(good, 'maximal.yaml')
    const { spec, problems } = await loadSpecFile(file, { env })
    assert.deepEqual(problems, [])
    const destination = 'postgresql://eu:p%40ss%2Fword@eu.example:6432/sales?sslmode=require'
    const webhook = 'https://hooks.example.com/services/T0/B0/XyZ'
    const expected: MigrationSpec = {
      apiVersion: 'pgshift/v1',
      kind: 'Migration',
      sourceFile: file,
      metadata: {
        name: 'sales-to-eu_2024',
        description: 'Sales and the 2024 orders move to the EU cluster',
      },
      source: { url: ConnectionUrl.parse(env.SOURCE_DATABASE_URL) },
      destination: { url: ConnectionUrl.parse(destination) },
      types: ['schema', 'full', 'incremental'],
      conflicts: 'ignore',
      objects: [
        {
          schema: 'sales',
          destinationSchema: 'sales_eu',
          exclude: ['tmp_*', 'backup_????'],
          tables: null,
        },
        {
          schema: 'public',
          destinationSchema: 'public',
          exclude: [],
          tables: [
            {
              name: 'orders',
              destinationName: 'orders_archive',
              where: "created_at >= '2024-01-01' AND status <> 'void' -- only live 2024 orders",
              whereSql: "created_at >= '2024-01-01' AND status <> 'void'",
              columns: {
                exclude: ['internal_note'],
                rename: { amount: 'total_amount', state: 'status_code' },
              },
              operations: ['insert', 'update'],
            },
            {
              name: 'customers',
              destinationName: 'customers',
              where: "lower(region) IN ('eu', 'uk')",
              whereSql: "lower(region) IN ('eu', 'uk')",
              columns: { exclude: [], rename: {} },
              operations: ['insert', 'update', 'delete', 'truncate'],
            },
            {
              name: '${literal}',
              destinationName: '${literal}',
              where: null,
              whereSql: null,
              columns: { exclude: [], rename: {} },
              operations: ['insert', 'update', 'delete', 'truncate'],
            },
          ],
        },
      ],
      options: {
        parallel: { tables: 8, splitLargerThanBytes: 536_870_912 },
        throttle: {
          full: { rowsPerSecond: 50_000, bytesPerSecond: 64_000_000 },
          incremental: { rowsPerSecond: 2_000, bytesPerSecond: 1_048_576 },
        },
        retry: { connectionMs: 5_400_000, otherMs: 45_000 },
        ddl: true,
        validate: 'count',
        alerts: { maxLagSeconds: 2.5, webhook: WebhookUrl.parse(webhook) },
      },
    }
    assert.deepEqual(spec, expected)
    assert.equal(spec?.destination.url.reveal(), destination)
    assert.equal(spec?.options.alerts.webhook?.reveal(), webhook)
  })

  test('never prints a secret of a loaded spec', async () => {
    const { spec } = await loadSpecFile(join(good, 'maximal.yaml'), { env })
    assert.ok(spec !== undefined)
    assert.equal(String(spec.source.url), 'postgres://app:***@db.example:5432/sales')
    assert.equal(
      String(spec.destination.url),
      'postgresql://eu:***@eu.example:6432/sales?sslmode=require',
    )
    assertNoPassword(String(spec.source.url))
    assertNoPassword(JSON.stringify(spec))
    assertNoPassword(inspect(spec, { depth: Infinity }))
    assertNoPassword(inspect(spec, { depth: Infinity, showHidden: true }))
    assertNoPassword(`${spec.destination.url}`)
    const driverError = `connecting to ${spec.destination.url.reveal()} failed for eu (p@ss/word)`
    assert.equal(
      redactSecrets(driverError, specSecrets(spec)),
      'connecting to postgresql://eu:***@eu.example:6432/sales?sslmode=require failed for eu (***)',
    )
  })

  test('reports a file it cannot read', async () => {
    const { spec, problems } = await loadSpecFile('no/such/spec.yaml', { env })
    assert.equal(spec, undefined)
    assert.deepEqual(problems.map(formatProblem), [
      'no/such/spec.yaml:1:1: cannot read the spec: no such file',
    ])
    assert.equal(problems[0]?.code, 'file-unreadable')
  })
})

describe('loadSpecText', () => {
  const header = [
    'apiVersion: pgshift/v1',
    'kind: Migration',
    'metadata: { name: t }',
    'source: { url: "${SOURCE_DATABASE_URL}" }',
    'destination: { url: "${TARGET_DATABASE_URL}" }',
  ].join('\n')

  test('keeps the spec when there are only warnings', async () => {
    const text = header.replace('"${SOURCE_DATABASE_URL}"', 'postgres://app:literal@db/sales')
    const { spec, problems } = await loadSpecText(text, 'w.yaml', { env })
    assert.ok(spec !== undefined)
    assert.deepEqual(problems, [
      {
        file: 'w.yaml',
        line: 4,
        column: 16,
        severity: 'warning',
        code: 'password-in-spec',
        message:
          'source.url has a password written in the spec; take the URL or the password from the ' +
          'environment with ${VAR}',
        path: 'source.url',
      },
    ])
    assert.equal(
      formatProblem(problems[0] as (typeof problems)[0]),
      'w.yaml:4:16: warning: source.url has a password written in the spec; take the URL or the ' +
        'password from the environment with ${VAR}',
    )
  })

  test('warns of a password in a ${VAR:-default}, not of one from the environment', async () => {
    const fallback = header.replace(
      '"${SOURCE_DATABASE_URL}"',
      '"${SOURCE_DATABASE_URL:-postgres://app:dev@localhost/sales}"',
    )
    const fromFallback = await loadSpecText(fallback, 'w.yaml', { env })
    assert.deepEqual(fromFallback.problems.map((problem) => problem.code), ['password-in-spec'])
    const fromEnv = header.replace('"${SOURCE_DATABASE_URL}"', '"postgres://app:${PW}@db/sales"')
    const clean = await loadSpecText(fromEnv, 'w.yaml', { env: { ...env, PW: 'x' } })
    assert.deepEqual(clean.problems, [])
  })

  test('points into a one-line where filter at the offending token', async () => {
    const text = [
      header,
      'objects:',
      '  - schema: public',
      '    tables:',
      '      - { name: a, where: id > 0 AND pg_sleep(1) IS NULL }',
      "      - { name: b, where: 'id > 0 AND pg_sleep(1) IS NULL' }",
      '      - { name: c, where: "id > 0 AND\\tpg_sleep(1) IS NULL" }',
    ].join('\n')
    const { problems } = await loadSpecText(text, 'w.yaml', { env })
    const message =
      'where may not call pg_sleep(): only side-effect-free functions are allowed'
    assert.deepEqual(problems.map(formatProblem), [
      `w.yaml:9:38: objects[0].tables[0].${message}`,
      `w.yaml:10:39: objects[0].tables[1].${message}`,
      // an escape sequence: the source no longer maps onto the value, so the scalar's start
      `w.yaml:11:27: objects[0].tables[2].${message}`,
    ])
  })

  test('reports every problem at once, sorted by position', async () => {
    const text = [
      'apiVersion: pgshift/v1',
      'kind: Migration',
      'metadata: { name: Bad }',
      'source: {}',
      'destination: { url: "${TARGET_DATABASE_URL}", extra: 1 }',
      'options: { parallel: { tables: 65 }, validate: all }',
    ].join('\n')
    const { spec, problems } = await loadSpecText(text, 'all.yaml', { env })
    assert.equal(spec, undefined)
    assert.deepEqual(problems.map(formatProblem), [
      'all.yaml:3:19: metadata.name must start with a lowercase letter and hold only lowercase ' +
        'letters, digits, "-" and "_", got "Bad"',
      'all.yaml:4:1: missing required key "url" in source',
      'all.yaml:5:47: unknown key "extra" in destination (allowed: url)',
      'all.yaml:6:32: options.parallel.tables must be from 1 to 64, got 65',
      'all.yaml:6:48: options.validate must be one of none, count, checksum, got "all"',
    ])
  })
})
