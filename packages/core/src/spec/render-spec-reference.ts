import { asRecord } from './as-record.js'

type Schema = Record<string, unknown>

/** One field of the spec as the reference lists it. */
export interface SpecReferenceField {
  /** `objects[].tables[].where`: `[]` marks a list's items, `.` a mapping's keys. */
  readonly path: string
  readonly type: string
  /** `required`, a default in backticks, or empty. */
  readonly default: string
  readonly description: string
}

/** A value format that several fields share (`duration`, `size`...), listed once below the table. */
export interface SpecReferenceFormat {
  readonly name: string
  readonly description: string
}

interface Walk {
  readonly root: Schema
  readonly fields: SpecReferenceField[]
  readonly formats: Map<string, SpecReferenceFormat>
}

/**
 * Markdown reference of the spec from its JSON Schema: the root description, a table of every
 * field path with its type, allowed values, default and description, and the shared value
 * formats. Pure and deterministic (schema order), so that README.md can be checked against it.
 */
export function renderSpecReference(schema: Schema): string {
  const walk = walkSchema(schema)
  const lines: string[] = []
  const intro = text(schema['description'])
  if (intro !== '') lines.push(intro, '')
  lines.push('| field | type | default | description |', '| --- | --- | --- | --- |')
  for (const field of walk.fields) {
    const cells = [code(field.path), field.type, field.default, field.description].map(cell)
    lines.push(`| ${cells.join(' | ')} |`)
  }
  if (walk.formats.size > 0) {
    lines.push('', 'Value formats:', '')
    for (const format of walk.formats.values()) lines.push(`- **${format.name}**: ${format.description}`)
  }
  return `${lines.join('\n')}\n`
}

/** The fields in the order the reference lists them, for tests and other renderers. */
export function listSpecReferenceFields(schema: Schema): readonly SpecReferenceField[] {
  return walkSchema(schema).fields
}

function walkSchema(schema: Schema): Walk {
  const walk: Walk = { root: schema, fields: [], formats: new Map() }
  collectFields(walk, schema, '')
  return walk
}

function collectFields(walk: Walk, node: Schema, prefix: string): void {
  const properties = asRecord(node['properties']) ?? {}
  const required = new Set(Array.isArray(node['required']) ? node['required'] : [])
  for (const [name, raw] of Object.entries(properties)) {
    const field = resolve(walk.root, asRecord(raw) ?? {})
    const path = prefix === '' ? name : `${prefix}.${name}`
    walk.fields.push({
      path,
      type: describeType(walk, field),
      default: required.has(name) ? 'required' : 'default' in field.schema ? code(yamlValue(field.schema['default'])) : '',
      description: describeField(field.schema),
    })
    const items = asRecord(field.schema['items'])
    if (hasProperties(field.schema)) collectFields(walk, field.schema, path)
    else if (items !== undefined) {
      const item = resolve(walk.root, items).schema
      if (hasProperties(item)) collectFields(walk, item, `${path}[]`)
    }
  }
}

interface Resolved {
  /** The definition's keys under the referring node's own (title, description, default win). */
  readonly schema: Schema
  /** `duration` for `#/definitions/duration`; undefined for an inline schema. */
  readonly definition: string | undefined
}

function resolve(root: Schema, node: Schema): Resolved {
  const ref = node['$ref']
  if (typeof ref !== 'string') return { schema: node, definition: undefined }
  const match = /^#\/definitions\/([^/]+)$/.exec(ref)
  const target = match?.[1] === undefined ? undefined : asRecord(asRecord(root['definitions'])?.[match[1]])
  // only local definitions are used: anything else is a schema this renderer does not know how to read
  if (match?.[1] === undefined || target === undefined) throw new Error(`cannot resolve $ref ${ref}`)
  const { $ref: _ref, ...own } = node
  const inner = resolve(root, target)
  return { schema: { ...inner.schema, ...own }, definition: inner.definition ?? match[1] }
}

function hasProperties(schema: Schema): boolean {
  return asRecord(schema['properties']) !== undefined
}

function describeType(walk: Walk, field: Resolved): string {
  const schema = field.schema
  // a scalar definition is a named format (duration, size, identifier): named here, explained once below
  if (field.definition !== undefined && !hasProperties(schema) && schema['type'] !== 'object') {
    const definition = asRecord(asRecord(walk.root['definitions'])?.[field.definition]) ?? {}
    if (!walk.formats.has(field.definition)) {
      walk.formats.set(field.definition, { name: field.definition, description: describeFormat(definition) })
    }
    return field.definition
  }
  if ('const' in schema) return `always ${code(yamlValue(schema['const']))}`
  if (Array.isArray(schema['enum'])) return `one of ${schema['enum'].map((value) => code(yamlValue(value))).join(', ')}`
  const types = Array.isArray(schema['type']) ? schema['type'] : [schema['type']]
  if (types.includes('array')) {
    const items = asRecord(schema['items'])
    const item = items === undefined ? 'any' : describeItem(walk, resolve(walk.root, items))
    const limits = [schema['minItems'] === 1 ? 'non-empty' : '', schema['uniqueItems'] === true ? 'no duplicates' : '']
    return joinParts(`list of ${item}`, limits)
  }
  if (types.includes('object')) {
    const values = asRecord(schema['additionalProperties'])
    if (values === undefined || hasProperties(schema)) return 'mapping'
    const keys = asRecord(schema['propertyNames'])
    const keyType = keys === undefined ? 'string' : describeType(walk, resolve(walk.root, keys))
    return `mapping of ${keyType} to ${describeType(walk, resolve(walk.root, values))}`
  }
  return joinParts(types.filter((type) => typeof type === 'string').join(' or '), limitsOf(schema))
}

// list items read as plurals of their own type: `list of one of a, b` would not
function describeItem(walk: Walk, item: Resolved): string {
  if (Array.isArray(item.schema['enum'])) return item.schema['enum'].map((value) => code(yamlValue(value))).join(', ')
  if (hasProperties(item.schema)) return 'mappings (below)'
  const limits = limitsOf(item.schema)
  if (item.definition !== undefined || limits.length === 0) return describeType(walk, item)
  // a list's own limits follow after a comma: the items' go in parentheses
  return `${describeType(walk, { schema: { ...item.schema, ...NO_LIMITS }, definition: undefined })} (${limits.join(', ')})`
}

function describeFormat(definition: Schema): string {
  const pattern = definition['pattern']
  const parts = [text(definition['description']), typeof pattern === 'string' ? `Pattern: ${code(pattern)}.` : '']
  return parts.filter((part) => part !== '').join(' ')
}

const NO_LIMITS = {
  minimum: undefined,
  maximum: undefined,
  exclusiveMinimum: undefined,
  minLength: undefined,
  maxLength: undefined,
  pattern: undefined,
}

function limitsOf(schema: Schema): string[] {
  const limits: string[] = []
  const { minimum, maximum, exclusiveMinimum, minLength, maxLength, pattern } = schema
  if (typeof minimum === 'number' && typeof maximum === 'number') limits.push(`${minimum} to ${maximum}`)
  else if (typeof minimum === 'number') limits.push(`>= ${minimum}`)
  else if (typeof maximum === 'number') limits.push(`<= ${maximum}`)
  if (typeof exclusiveMinimum === 'number') limits.push(`> ${exclusiveMinimum}`)
  if (typeof minLength === 'number' && minLength > 0 && typeof maxLength === 'number') {
    limits.push(`${minLength} to ${maxLength} characters`)
  } else if (typeof minLength === 'number' && minLength > 0) limits.push('not empty')
  else if (typeof maxLength === 'number') limits.push(`at most ${maxLength} characters`)
  if (typeof pattern === 'string') limits.push(`matching ${code(pattern)}`)
  return limits
}

function describeField(schema: Schema): string {
  const parts = [text(schema['description'])]
  const examples = Array.isArray(schema['examples']) ? schema['examples'] : []
  if (examples.length > 0) {
    parts.push(`${examples.length === 1 ? 'Example' : 'Examples'}: ${examples.map((example) => code(yamlValue(example))).join(', ')}.`)
  }
  return parts.filter((part) => part !== '').join(' ')
}

function joinParts(head: string, limits: readonly string[]): string {
  const rest = limits.filter((limit) => limit !== '')
  return rest.length === 0 ? head : `${head}, ${rest.join(', ')}`
}

/** A value as it would be written in a spec (YAML flow style). */
function yamlValue(value: unknown): string {
  // quoted only where a YAML plain scalar could not hold it
  if (typeof value === 'string') return value === '' || /^[\s[\]{},&*!|>'"%@`#]|: | #|\s$/.test(value) ? JSON.stringify(value) : value
  if (Array.isArray(value)) return `[${value.map(yamlValue).join(', ')}]`
  const record = asRecord(value)
  if (record !== undefined) {
    return `{${Object.entries(record).map(([key, entry]) => ` ${key}: ${yamlValue(entry)}`).join(',')}${Object.keys(record).length > 0 ? ' ' : ''}}`
  }
  return String(value)
}

/** An inline code span that survives any backticks in the value. */
function code(value: string): string {
  const longest = Math.max(0, ...Array.from(value.matchAll(/`+/g), (match) => match[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${value}${pad}${fence}`
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}

// GFM splits table cells on `|` even inside code spans, so every pipe is escaped
function cell(value: string): string {
  return value.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')
}
