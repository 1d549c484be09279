import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { README_PATH, replaceSpecReference, SPEC_REFERENCE_END, SPEC_REFERENCE_START } from './readme-spec-reference.js'
import { listSpecReferenceFields, renderSpecReference } from './render-spec-reference.js'
import { readSpecSchema } from './validate-spec-schema.js'

describe('spec reference', () => {
  test("README.md's block is the renderer's output for the current schema", () => {
    const readme = readFileSync(README_PATH, 'utf8')
    const expected = replaceSpecReference(readme, renderSpecReference(readSpecSchema()))
    // assert.equal would print two whole READMEs: the first differing line says more
    if (readme !== expected) {
      const have = readme.split('\n')
      const want = expected.split('\n')
      const line = want.findIndex((text, index) => have[index] !== text)
      assert.fail(
        `README.md's spec reference differs from the JSON Schema (first at line ${line + 1}): run \`npm run docs\`\n` +
          `  README.md: ${have[line] ?? '(end of file)'}\n  generated: ${want[line] ?? '(end of file)'}`,
      )
    }
  })

  test('lists every field path of the schema with its type and description', () => {
    const fields = listSpecReferenceFields(readSpecSchema())
    const byPath = new Map(fields.map((field) => [field.path, field]))
    for (const path of [
      'apiVersion',
      'metadata.name',
      'source.url',
      'destination.url',
      'types',
      'objects[].schema',
      'objects[].exclude',
      'objects[].tables[].where',
      'objects[].tables[].columns.rename',
      'objects[].tables[].operations',
      'options.parallel.splitLargerThan',
      'options.throttle.incremental.rowsPerSecond',
      'options.throttle.full.bytesPerSecond',
      'options.retry.connection',
      'options.alerts.webhook',
    ]) {
      assert.ok(byPath.has(path), path)
    }
    for (const field of fields) {
      assert.notEqual(field.type, '', `${field.path} type`)
      assert.ok(field.description.length >= 20, `${field.path}: description too thin`)
    }
    assert.equal(fields.length, new Set(fields.map((field) => field.path)).size, 'paths are unique')
    assert.equal(byPath.get('metadata.name')?.default, 'required')
    assert.equal(byPath.get('types')?.default, '`[schema, full]`')
    assert.equal(byPath.get('options.retry.connection')?.type, 'duration')
    assert.equal(byPath.get('options.parallel.splitLargerThan')?.default, '`256MiB`')
    assert.equal(byPath.get('conflicts')?.type, 'one of `fail`, `ignore`')
    assert.equal(byPath.get('objects[].tables[].columns.rename')?.type, 'mapping of identifier to identifier')
  })

  test('resolves references, explains shared formats once and escapes table pipes', () => {
    const markdown = renderSpecReference({
      description: 'A test spec.',
      type: 'object',
      required: ['when'],
      properties: {
        when: { $ref: '#/definitions/duration', description: 'How long.', default: '5m' },
        again: { $ref: '#/definitions/duration', description: 'How long again.' },
        mode: { description: 'Either.', type: 'string', enum: ['a|b', 'c'], default: '' },
        list: {
          description: 'Items.',
          type: 'array',
          minItems: 1,
          items: { type: 'object', properties: { id: { description: 'Identity.', type: 'integer', minimum: 1 } } },
        },
      },
      definitions: {
        duration: { description: 'A duration.', type: 'string', pattern: '^[0-9]+(s|m)$' },
      },
    })
    assert.equal(
      markdown,
      [
        'A test spec.',
        '',
        '| field | type | default | description |',
        '| --- | --- | --- | --- |',
        '| `when` | duration | required | How long. |',
        '| `again` | duration |  | How long again. |',
        '| `mode` | one of `a\\|b`, `c` | `""` | Either. |',
        '| `list` | list of mappings (below), non-empty |  | Items. |',
        '| `list[].id` | integer, >= 1 |  | Identity. |',
        '',
        'Value formats:',
        '',
        '- **duration**: A duration. Pattern: `^[0-9]+(s|m)$`.',
        '',
      ].join('\n'),
    )
  })

  test('the README block is replaced between its markers only, and missing markers are an error', () => {
    const readme = `# x\n\nbefore\n${SPEC_REFERENCE_START}\nold\n${SPEC_REFERENCE_END}\nafter\n`
    const replaced = replaceSpecReference(readme, '| new |\n')
    assert.match(replaced, /^# x\n\nbefore\n<!-- spec-reference:start -->\n<!-- generated [^\n]*-->\n\n\| new \|\n\n<!-- spec-reference:end -->\nafter\n$/)
    assert.equal(replaceSpecReference(replaced, '| new |\n'), replaced)
    assert.throws(() => replaceSpecReference('# no markers\n', 'x'), /spec-reference:start/)
    assert.throws(() => replaceSpecReference(`${SPEC_REFERENCE_END}\n${SPEC_REFERENCE_START}\n`, 'x'), /once each/)
  })
})
