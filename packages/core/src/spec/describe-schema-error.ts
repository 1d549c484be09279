import type { ErrorObject } from 'ajv'
import { formatSpecPath } from './format-spec-path.js'
import type { SpecPath } from './format-spec-path.js'
import { DURATION_EXAMPLES } from './parse-duration.js'
import { SIZE_EXAMPLES } from './parse-size.js'
import type { SpecIssue } from './spec-locator.js'
import type { SpecProblemCode } from './spec-problem.js'
import { suggestName } from './suggest-name.js'

interface SchemaNode {
  readonly properties?: Readonly<Record<string, unknown>>
  readonly minimum?: number
  readonly maximum?: number
  readonly items?: { readonly enum?: readonly string[] }
}

// patterns the loader checks itself, with better messages than a pattern can give
const loaderCheckedPatterns = [
  '#/definitions/endpoint/properties/url/',
  '/alerts/properties/webhook/',
] as const

/**
 * A human message for one ajv error, at the spec path it concerns; undefined for errors that
 * another error or the loader already reports better.
 */
export function describeSchemaError(error: ErrorObject, data: unknown): SpecIssue | undefined {
  const path = decodePath(error.instancePath, data)
  const subject = formatSpecPath(path)
  const value: unknown = error.data
  const parent = error.parentSchema as SchemaNode | undefined
  const definition = /^#\/definitions\/([A-Za-z]+)\//u.exec(error.schemaPath)?.[1]
  const got = `got ${show(value)}`

  if (error.propertyName !== undefined) return describeKeyError(error, path)
  if (definition === 'duration') {
    const examples = DURATION_EXAMPLES.join(', ')
    return bad(path, `${subject} must be a duration (examples: ${examples}), ${got}`)
  }
  if (definition === 'size') {
    const examples = SIZE_EXAMPLES.join(', ')
    return bad(path, `${subject} must be a size in bytes (examples: ${examples}), ${got}`)
  }

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params['additionalProperty'])
      const allowed = Object.keys(parent?.properties ?? {})
      const suggestion = suggestName(key, allowed)
      const hint =
        suggestion === undefined
          ? `allowed: ${allowed.join(', ')}`
          : `did you mean "${suggestion}"?`
      const message = `unknown key ${JSON.stringify(key)} ${located(path)} (${hint})`
      return issue('unknown-key', [...path, key], message, 'key')
    }
    case 'required': {
      const key = String(error.params['missingProperty'])
      return issue('missing-key', path, `missing required key "${key}" ${located(path)}`, 'key')
    }
    case 'type': {
      const type = typeName(error.params['type'])
      return issue('wrong-type', path, `${subject} must be ${type}, got ${showTyped(value)}`)
    }
    case 'const':
      return bad(path, `${subject} must be ${show(error.params['allowedValue'])}, ${got}`)
    case 'enum': {
      const allowed = (error.params['allowedValues'] as readonly unknown[]).map(String)
      const suggestion = typeof value === 'string' ? suggestName(value, allowed) : undefined
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`
      return bad(path, `${subject} must be one of ${allowed.join(', ')}, ${got}${hint}`)
    }
    case 'pattern':
      if (loaderCheckedPatterns.some((part) => error.schemaPath.includes(part))) return undefined
      if (subject === 'metadata.name') {
        const rule = 'hold only lowercase letters, digits, "-" and "_"'
        return bad(path, `metadata.name must start with a lowercase letter and ${rule}, ${got}`)
      }
      return bad(path, `${subject} must match ${String(error.params['pattern'])}, ${got}`)
    case 'minimum':
    case 'maximum':
      return bad(path, `${subject} must be ${describeRange(parent)}, ${got}`)
    case 'exclusiveMinimum':
      return bad(path, `${subject} must be greater than ${String(error.params['limit'])}, ${got}`)
    case 'minItems':
      return issue('empty-list', path, describeEmptyList(path, subject, parent))
    case 'uniqueItems': {
      const first = Math.min(Number(error.params['i']), Number(error.params['j']))
      const again = Math.max(Number(error.params['i']), Number(error.params['j']))
      const item = Array.isArray(value) ? (value as unknown[])[again] : undefined
      const firstPath = formatSpecPath([...path, first])
      const againPath = formatSpecPath([...path, again])
      const message = `${againPath} repeats ${show(item)}, already listed as ${firstPath}`
      return issue('duplicate-item', [...path, again], message)
    }
    case 'minLength': {
      const code = definition === 'identifier' ? 'bad-identifier' : 'bad-value'
      const hint = path[path.length - 1] === 'where' ? ' (leave it out to copy every row)' : ''
      return issue(code, path, `${subject} must not be empty${hint}`)
    }
    case 'maxLength': {
      if (definition === 'identifier') {
        return issue('bad-identifier', path, identifierTooLong(subject, String(value)))
      }
      const [limit, length] = [String(error.params['limit']), String(value).length]
      return bad(path, `${subject} must be at most ${limit} characters, got ${length}`)
    }
    case 'propertyNames':
      // the error about the name itself carries the detail
      return undefined
    default:
      return bad(path, `${subject} ${error.message ?? 'is not valid'}`)
  }
}

/** The message for a name over PostgreSQL's 63-byte identifier limit. */
export function identifierTooLong(subject: string, name: string): string {
  const bytes = Buffer.byteLength(name, 'utf8')
  return `${subject} must be at most 63 bytes (PostgreSQL's identifier limit), got ${bytes}`
}

// errors about a mapping key itself (columns.rename keys), reported at the key
function describeKeyError(error: ErrorObject, path: SpecPath): SpecIssue | undefined {
  const key = String(error.propertyName)
  const subject = `${formatSpecPath(path)} key ${show(key)}`
  const keyPath = [...path, key]
  if (error.keyword === 'minLength') {
    return issue('bad-identifier', keyPath, `${subject} must not be empty`, 'key')
  }
  if (error.keyword === 'maxLength') {
    return issue('bad-identifier', keyPath, identifierTooLong(subject, key), 'key')
  }
  return undefined
}

function issue(
  code: SpecProblemCode,
  path: SpecPath,
  message: string,
  target: 'key' | 'value' = 'value',
): SpecIssue {
  return { path, code, message, target }
}

function bad(path: SpecPath, message: string): SpecIssue {
  return issue('bad-value', path, message)
}

function located(path: SpecPath): string {
  return path.length === 0 ? 'at the top level' : `in ${formatSpecPath(path)}`
}

function describeRange(schema: SchemaNode | undefined): string {
  const { minimum, maximum } = schema ?? {}
  if (minimum !== undefined && maximum !== undefined) return `from ${minimum} to ${maximum}`
  if (minimum !== undefined) return `at least ${minimum}`
  return `at most ${String(maximum)}`
}

function describeEmptyList(
  path: SpecPath,
  subject: string,
  schema: SchemaNode | undefined,
): string {
  const last = path[path.length - 1]
  if (last === 'objects') {
    return `${subject} must not be empty (leave it out to migrate the whole database)`
  }
  if (last === 'tables') {
    return `${subject} must not be empty (leave it out to migrate every object of the schema)`
  }
  const choices = schema?.items?.enum
  if (choices === undefined) return `${subject} must not be empty`
  return `${subject} must not be empty: list at least one of ${choices.join(', ')}`
}

const typeNames: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
}

function typeName(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)]
  return types.map((name) => typeNames[name] ?? name).join(' or ')
}

/** A value as quoted in messages: strings in double quotes, shortened past 40 characters. */
function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)
  }
  if (value === null) return 'an empty value'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return String(value)
}

/** A value with its YAML type, for type errors: `string "four"`, `number 4.5`. */
function showTyped(value: unknown): string {
  if (typeof value === 'string') return `string ${show(value)}`
  if (typeof value === 'number') return `number ${value}`
  if (typeof value === 'boolean') return `boolean ${value}`
  return show(value)
}

// JSON pointer segments back to keys and indexes, walking the data to tell them apart
function decodePath(pointer: string, data: unknown): SpecPath {
  if (pointer === '') return []
  const path: (string | number)[] = []
  let current: unknown = data
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/gu, '/').replace(/~0/gu, '~')
    const segment = Array.isArray(current) ? Number(key) : key
    path.push(segment)
    current =
      current !== null && typeof current === 'object'
        ? (current as Record<string | number, unknown>)[segment]
        : undefined
  }
  return path
}
