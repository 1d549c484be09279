import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SPEC_DEFAULTS } from './normalize-spec.js'
import { DURATION_PATTERN } from './parse-duration.js'
import { SIZE_PATTERN } from './parse-size.js'
import { readSpecSchema, validateSpecSchema } from './validate-spec-schema.js'

type Schema = Record<string, unknown>

const schema = readSpecSchema()
const definitions = schema['definitions'] as Record<string, Schema>

/** Every schema node of the document with its JSON pointer. */
function* walk(node: unknown, pointer = '#'): Generator<[string, Schema]> {
  if (node === null || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* walk(item, `${pointer}/${index}`)
    return
  }
  yield [pointer, node as Schema]
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'default' && key !== 'examples' && key !== 'enum') {
      yield* walk(value, `${pointer}/${key}`)
    }
  }
}

function at(pointer: string): Schema {
  let node: unknown = schema
  for (const key of pointer.split('/').slice(1)) node = (node as Schema)[key]
  return node as Schema
}

describe('spec JSON Schema', () => {
  test('is draft-07 and compiles under strict ajv', () => {
    assert.equal(schema['$schema'], 'http://json-schema.org/draft-07/schema#')
    assert.deepEqual(validateSpecSchema({}).length > 0, true)
  })

  test('gives every property a title and a description (the README is generated from them)', () => {
    for (const [pointer, node] of walk(schema)) {
      const properties = node['properties'] as Record<string, Schema> | undefined
      for (const [name, property] of Object.entries(properties ?? {})) {
        assert.equal(typeof property['title'], 'string', `${pointer}/properties/${name} title`)
        assert.equal(typeof property['description'], 'string', `${pointer}/properties/${name}`)
      }
    }
  })

  test('refuses unknown keys in every mapping', () => {
    for (const [pointer, node] of walk(schema)) {
      if (node['type'] === 'object') {
        assert.notEqual(node['additionalProperties'], undefined, pointer)
        assert.notEqual(node['additionalProperties'], true, pointer)
      }
    }
  })

  test('carries the duration and size patterns the loader uses', () => {
    assert.equal(definitions['duration']?.['pattern'], DURATION_PATTERN)
    assert.equal(definitions['size']?.['pattern'], SIZE_PATTERN)
  })

  test('documents the defaults the loader applies', () => {
    const options = '#/properties/options/properties'
    const table = '#/definitions/tableSelection/properties'
    assert.deepEqual(at('#/properties/types')['default'], SPEC_DEFAULTS.types)
    assert.equal(at('#/properties/conflicts')['default'], SPEC_DEFAULTS.conflicts)
    const parallel = `${options}/parallel/properties`
    assert.equal(at(`${parallel}/tables`)['default'], SPEC_DEFAULTS.parallelTables)
    assert.equal(at(`${parallel}/splitLargerThan`)['default'], SPEC_DEFAULTS.splitLargerThan)
    const retry = `${options}/retry/properties`
    assert.equal(at(`${retry}/connection`)['default'], SPEC_DEFAULTS.retryConnection)
    assert.equal(at(`${retry}/other`)['default'], SPEC_DEFAULTS.retryOther)
    assert.equal(at(`${options}/ddl`)['default'], SPEC_DEFAULTS.ddl)
    assert.equal(at(`${options}/validate`)['default'], SPEC_DEFAULTS.validate)
    assert.equal(at(`${options}/alerts/properties/webhook`)['default'], SPEC_DEFAULTS.webhook)
    const throttle = '#/definitions/throttle/properties'
    assert.equal(at(`${throttle}/rowsPerSecond`)['default'], SPEC_DEFAULTS.throttle.rowsPerSecond)
    assert.equal(at(`${throttle}/bytesPerSecond`)['default'], SPEC_DEFAULTS.throttle.bytesPerSecond)
    assert.deepEqual(at(`${table}/operations`)['default'], SPEC_DEFAULTS.operations)
  })
})
