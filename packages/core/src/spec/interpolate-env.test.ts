import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { interpolateString } from './interpolate-env.js'
import { loadSpecText } from './load-spec.js'
import { formatProblem } from './spec-problem.js'

const env = { HOST: 'db.example', EMPTY: '', PORT: '5432' }

describe('interpolateString', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['${HOST}', 'db.example'],
    ['postgres://${HOST}:${PORT}/sales', 'postgres://db.example:5432/sales'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${HOST:-fallback}', 'db.example'],
    ['${MISSING:-}', ''],
    ['${EMPTY}', ''],
    ['$${HOST}', '${HOST}'],
    // read left to right: a lone $, then the $${ escape
    ['$$${HOST}', '$${HOST}'],
    ['costs $5 or $$', 'costs $5 or $$'],
    ['${MISSING:-a:-b}', 'a:-b'],
  ]
  for (const [text, value] of cases) {
    test(`${JSON.stringify(text)} becomes ${JSON.stringify(value)}`, () => {
      const result = interpolateString(text, env)
      assert.equal(result.syntaxError, undefined)
      assert.deepEqual(result.missing, [])
      assert.equal(result.value, value)
    })
  }

  test('records variables, defaults and missing ones', () => {
    const result = interpolateString('${HOST}/${NOPE}/${ALSO:-x}', env, (name) => `<${name}>`)
    assert.equal(result.value, 'db.example/<NOPE>/x')
    assert.deepEqual(result.variables, ['HOST', 'NOPE', 'ALSO'])
    assert.deepEqual(result.defaults, ['x'])
    assert.deepEqual(result.missing, ['NOPE'])
  })

  test('reports references it cannot read', () => {
    assert.equal(
      interpolateString('${1X}', env).syntaxError,
      '"${1X}" is not a valid environment reference (names are letters, digits and _, not ' +
        'starting with a digit; write $${ for a literal ${)',
    )
    assert.equal(
      interpolateString('a ${HOST', env).syntaxError,
      '"${HOST" has no closing "}" (write $${ for a literal ${)',
    )
  })
})

const spec = (extra: string): string =>
  [
    'apiVersion: pgshift/v1',
    'kind: Migration',
    'metadata:',
    '  name: ${NAME:-interpolated}',
    'source:',
    '  url: ${SOURCE_DATABASE_URL}',
    'destination:',
    '  url: postgres://${TARGET_USER}:${TARGET_PASSWORD}@eu.example/sales',
    extra,
  ].join('\n')

const urls = {
  SOURCE_DATABASE_URL: 'postgres://app:s3cret@db.example/sales',
  TARGET_USER: 'eu',
  TARGET_PASSWORD: 'pw%2F1',
}

describe('interpolation in a spec', () => {
  test('substitutes before validation, anywhere in a string', async () => {
    const { spec: loaded, problems } = await loadSpecText(spec(''), 'i.yaml', { env: urls })
    assert.deepEqual(problems, [])
    assert.equal(loaded?.metadata.name, 'interpolated')
    assert.equal(loaded?.source.url.reveal(), 'postgres://app:s3cret@db.example/sales')
    assert.equal(loaded?.destination.url.reveal(), 'postgres://eu:pw%2F1@eu.example/sales')
    assert.equal(String(loaded?.destination.url), 'postgres://eu:***@eu.example/sales')
  })

  test('reads a whole plain ${VAR} as YAML would read its text', async () => {
    const extra = [
      'options:',
      '  parallel:',
      '    tables: ${TABLES}',
      '  ddl: ${DDL}',
      '  alerts:',
      '    maxLagSeconds: ${LAG}',
      '    webhook: "${HOOK}"',
    ].join('\n')
    const env = { ...urls, TABLES: '8', DDL: 'true', LAG: '2.5', HOOK: 'https://h.example/x' }
    const { spec: loaded, problems } = await loadSpecText(spec(extra), 'i.yaml', { env })
    assert.deepEqual(problems, [])
    assert.equal(loaded?.options.parallel.tables, 8)
    assert.equal(loaded?.options.ddl, true)
    assert.equal(loaded?.options.alerts.maxLagSeconds, 2.5)
    assert.equal(loaded?.options.alerts.webhook?.reveal(), 'https://h.example/x')
  })

  test('keeps a quoted ${VAR} a string', async () => {
    const extra = 'options:\n  parallel:\n    tables: "${TABLES}"'
    const env = { ...urls, TABLES: '8' }
    const { problems } = await loadSpecText(spec(extra), 'i.yaml', { env })
    assert.deepEqual(problems.map(formatProblem), [
      'i.yaml:11:13: options.parallel.tables must be an integer, got string "8"',
    ])
  })

  test('$${ is a literal ${ and is not substituted', async () => {
    const extra = 'objects:\n  - schema: $${SCHEMA}'
    const env = { ...urls, SCHEMA: 'x' }
    const { spec: loaded } = await loadSpecText(spec(extra), 'i.yaml', { env })
    assert.equal(loaded?.objects?.[0]?.schema, '${SCHEMA}')
  })

  test('reports each missing variable at its scalar, once', async () => {
    const extra = 'objects:\n  - schema: ${S}_${S}'
    const { spec: loaded, problems } = await loadSpecText(spec(extra), 'i.yaml', { env: {} })
    assert.equal(loaded, undefined)
    assert.deepEqual(problems.map(formatProblem), [
      'i.yaml:6:8: environment variable SOURCE_DATABASE_URL is not set',
      'i.yaml:8:8: environment variable TARGET_USER is not set',
      'i.yaml:8:8: environment variable TARGET_PASSWORD is not set',
      'i.yaml:10:13: environment variable S is not set',
    ])
  })

  test('allowMissingEnv checks around placeholders and reports nothing about them', async () => {
    const extra = [
      'objects:',
      '  - schema: ${SCHEMA_A}',
      '  - schema: ${SCHEMA_B}',
      '    tables:',
      "      - name: orders",
      "        where: region = '${REGION}' AND id > ${MIN_ID}",
    ].join('\n')
    const { spec: loaded, problems } = await loadSpecText(spec(extra), 'i.yaml', {
      env: {},
      allowMissingEnv: true,
    })
    assert.deepEqual(problems, [])
    assert.equal(String(loaded?.source.url), 'postgres://placeholder.invalid/SOURCE_DATABASE_URL')
    assert.equal(loaded?.objects?.[1]?.tables?.[0]?.whereSql, "region = 'REGION' AND id > min_id")
  })

  test('allowMissingEnv still reports what does not depend on the environment', async () => {
    const extra = 'types: [ful]\noptions:\n  parallel:\n    tables: ${TABLES}'
    const { spec: loaded, problems } = await loadSpecText(spec(extra), 'i.yaml', {
      env: {},
      allowMissingEnv: true,
    })
    // tables could not be checked without TABLES: no spec, and no word about it
    assert.equal(loaded, undefined)
    assert.deepEqual(problems.map(formatProblem), [
      'i.yaml:9:9: types[0] must be one of schema, full, incremental, got "ful" ' +
        '(did you mean "full"?)',
    ])
  })

  test('allowMissingEnv yields no spec when a value depends on an unset variable', async () => {
    const extra = 'options:\n  parallel:\n    tables: ${TABLES}'
    const result = await loadSpecText(spec(extra), 'i.yaml', { env: urls, allowMissingEnv: true })
    assert.deepEqual(result.problems, [])
    assert.equal(result.spec, undefined)
  })
})
