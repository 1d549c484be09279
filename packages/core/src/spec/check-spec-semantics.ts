import { asRecord } from './as-record.js'
import { identifierTooLong } from './describe-schema-error.js'
import { formatSpecPath } from './format-spec-path.js'
import type { SpecPath } from './format-spec-path.js'
import { checkGlob } from './match-glob.js'
import { DURATION_PATTERN, parseDuration } from './parse-duration.js'
import { parseSize, SIZE_PATTERN } from './parse-size.js'
import type { SpecIssue } from './spec-locator.js'
import { validateWhereFilter } from './validate-where-filter.js'
import type { WhereFilterResult } from './validate-where-filter.js'

/** What the checks beyond the JSON Schema found. */
export interface SemanticsResult {
  readonly issues: SpecIssue[]
  /** The checked row filters, by the table record that holds them. */
  readonly whereFilters: Map<object, WhereFilterResult>
}

/**
 * The checks a JSON Schema cannot express: duplicate and colliding names, identifier byte
 * lengths, globs, row filters, and values too large to hold. Works on data that may also have
 * schema errors, checking only what has the expected shape. Row filters need the SQL parser
 * loaded (`loadSqlParser`).
 */
export function checkSpecSemantics(data: unknown): SemanticsResult {
  const issues: SpecIssue[] = []
  const whereFilters = new Map<object, WhereFilterResult>()
  const spec = asRecord(data)
  const types = spec?.['types']
  const isIncremental = Array.isArray(types) && types.includes('incremental')
  const objects = spec?.['objects']
  if (Array.isArray(objects)) {
    checkSchemas(objects, issues)
    objects.forEach((entry, index) => {
      const tables = asRecord(entry)?.['tables']
      if (Array.isArray(tables)) {
        checkTables(tables, ['objects', index, 'tables'], isIncremental, issues, whereFilters)
      }
    })
  }
  checkOptionValues(asRecord(spec?.['options']), issues)
  return { issues, whereFilters }
}

// a schema or table taking a destination name
interface Claim {
  readonly path: SpecPath
  readonly name: string
  readonly destination: string
  readonly isRenamed: boolean
}

function checkSchemas(objects: readonly unknown[], issues: SpecIssue[]): void {
  const listed = new Map<string, number>()
  const claims: Claim[] = []
  objects.forEach((entry, index) => {
    const record = asRecord(entry)
    if (record === undefined) return
    const path = ['objects', index]
    const schema = checkName(record['schema'], [...path, 'schema'], issues)
    const rename = checkName(record['rename'], [...path, 'rename'], issues)
    const exclude = record['exclude']
    if (Array.isArray(exclude)) {
      exclude.forEach((glob, globIndex) => {
        const reason = typeof glob === 'string' && glob !== '' ? checkGlob(glob) : undefined
        if (reason === undefined) return
        const globPath = [...path, 'exclude', globIndex]
        const subject = `${formatSpecPath(globPath)} ${JSON.stringify(glob)}`
        issues.push({
          path: globPath,
          code: 'bad-glob',
          message: `${subject} is not a valid glob: ${reason}`,
        })
      })
    }
    if (schema === undefined) return
    const first = listed.get(schema)
    if (first !== undefined) {
      issues.push({
        path: [...path, 'schema'],
        code: 'duplicate-schema',
        message:
          `${formatSpecPath([...path, 'schema'])} ${JSON.stringify(schema)} is already listed at ` +
          `objects[${first}] (merge the two entries)`,
      })
      return
    }
    listed.set(schema, index)
    const isRenamed = rename !== undefined
    claims.push({ path, name: schema, destination: rename ?? schema, isRenamed })
  })
  reportCollisions(claims, 'schema', '', issues)
}

function checkTables(
  tables: readonly unknown[],
  tablesPath: SpecPath,
  isIncremental: boolean,
  issues: SpecIssue[],
  whereFilters: Map<object, WhereFilterResult>,
): void {
  const listed = new Map<string, number>()
  const claims: Claim[] = []
  tables.forEach((entry, index) => {
    const table = asRecord(entry)
    if (table === undefined) return
    const path = [...tablesPath, index]
    const name = checkName(table['name'], [...path, 'name'], issues)
    const rename = checkName(table['rename'], [...path, 'rename'], issues)
    const where = table['where']
    let whereColumns: readonly string[] = []
    if (typeof where === 'string' && where !== '') {
      const result = validateWhereFilter(where)
      whereFilters.set(table, result)
      whereColumns = result.columns
      reportWhere(result, [...path, 'where'], isIncremental, issues)
    }
    checkColumns(asRecord(table['columns']), [...path, 'columns'], whereColumns, issues)
    if (name === undefined) return
    const first = listed.get(name)
    if (first !== undefined) {
      issues.push({
        path: [...path, 'name'],
        code: 'duplicate-table',
        message:
          `${formatSpecPath([...path, 'name'])} ${JSON.stringify(name)} is already listed at ` +
          `${formatSpecPath([...tablesPath, first])} (merge the two entries)`,
      })
      return
    }
    listed.set(name, index)
    claims.push({ path, name, destination: rename ?? name, isRenamed: rename !== undefined })
  })
  reportCollisions(claims, 'table', ` in the same destination schema`, issues)
}

/**
 * Reports every claim whose destination name is already taken. The report goes to a rename,
 * the cause of every collision once duplicates are set aside.
 */
function reportCollisions(
  claims: readonly Claim[],
  kind: string,
  scope: string,
  issues: SpecIssue[],
): void {
  const taken = new Map<string, Claim>()
  for (const claim of claims) {
    const destination = claim.destination
    const holder = taken.get(destination)
    if (holder === undefined) {
      taken.set(destination, claim)
      continue
    }
    const [renamed, other] = claim.isRenamed ? [claim, holder] : [holder, claim]
    const renamePath = [...renamed.path, 'rename']
    const otherName = `${kind} ${JSON.stringify(other.name)} (${formatSpecPath(other.path)})`
    const otherText = other.isRenamed
      ? `the rename of ${otherName}`
      : `${otherName}, which keeps its name`
    const subject = `${formatSpecPath(renamePath)} ${JSON.stringify(destination)}`
    issues.push({
      path: renamePath,
      code: 'rename-collision',
      message: `${subject} collides with ${otherText}${scope}`,
    })
  }
}

function checkColumns(
  columns: Record<string, unknown> | undefined,
  path: SpecPath,
  whereColumns: readonly string[],
  issues: SpecIssue[],
): void {
  if (columns === undefined) return
  const excludeList = columns['exclude']
  const excluded = new Set<string>()
  if (Array.isArray(excludeList)) {
    excludeList.forEach((column, index) => {
      const name = checkName(column, [...path, 'exclude', index], issues)
      if (name !== undefined) excluded.add(name)
    })
  }
  const renames = asRecord(columns['rename'])
  if (renames === undefined) return
  const taken = new Map<string, string | undefined>()
  for (const column of whereColumns) {
    if (!excluded.has(column) && !Object.hasOwn(renames, column)) taken.set(column, undefined)
  }
  for (const [from, to] of Object.entries(renames)) {
    const keyPath = [...path, 'rename', from]
    checkName(from, keyPath, issues, 'key')
    const target = checkName(to, keyPath, issues)
    if (excluded.has(from)) {
      issues.push({
        path: keyPath,
        target: 'key',
        code: 'column-conflict',
        message:
          `${formatSpecPath(keyPath)} renames column ${JSON.stringify(from)}, which ` +
          'columns.exclude also lists (keep one of the two)',
      })
      continue
    }
    if (target === undefined) continue
    if (!taken.has(target)) {
      taken.set(target, from)
      continue
    }
    const holder = taken.get(target)
    const otherText =
      holder === undefined
        ? `column ${JSON.stringify(target)}, which keeps its name (where uses it)`
        : `the rename of column ${JSON.stringify(holder)}`
    issues.push({
      path: keyPath,
      code: 'rename-collision',
      message: `${formatSpecPath(keyPath)} ${JSON.stringify(target)} collides with ${otherText}`,
    })
  }
}

function reportWhere(
  result: WhereFilterResult,
  path: SpecPath,
  isIncremental: boolean,
  issues: SpecIssue[],
): void {
  const subject = formatSpecPath(path)
  if (result.error !== undefined) {
    issues.push({
      path,
      offset: result.error.offset,
      code: 'where-invalid',
      message: `${subject} ${result.error.message}`,
    })
    return
  }
  const [first] = result.nonImmutable
  if (isIncremental && first !== undefined) {
    issues.push({
      path,
      severity: 'warning',
      code: 'where-not-immutable',
      message:
        `${subject} uses ${first}, which is not immutable: PostgreSQL refuses it in the ` +
        'publication row filter that incremental migration creates',
    })
  }
}

/**
 * A string name that fits PostgreSQL's 63-byte limit. Longer names in characters are the
 * schema's to report; this catches the multi-byte ones that fit in characters but not in bytes.
 */
function checkName(
  value: unknown,
  path: SpecPath,
  issues: SpecIssue[],
  target: 'key' | 'value' = 'value',
): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  const characters = [...value].length
  if (characters <= 63 && Buffer.byteLength(value, 'utf8') > 63) {
    const subject =
      target === 'key'
        ? `${formatSpecPath(path.slice(0, -1))} key ${JSON.stringify(value)}`
        : formatSpecPath(path)
    const message = identifierTooLong(subject, value)
    issues.push({ path, target, code: 'bad-identifier', message })
    return undefined
  }
  return characters > 63 ? undefined : value
}

const durationRegExp = new RegExp(DURATION_PATTERN, 'u')
const sizeRegExp = new RegExp(SIZE_PATTERN, 'u')

// values of the right form whose number does not fit a JavaScript safe integer
function checkOptionValues(
  options: Record<string, unknown> | undefined,
  issues: SpecIssue[],
): void {
  const retry = asRecord(options?.['retry'])
  for (const key of ['connection', 'other']) {
    const value = retry?.[key]
    const isDurationForm = typeof value === 'string' && durationRegExp.test(value)
    if (isDurationForm && parseDuration(value) === undefined) {
      tooLarge(['options', 'retry', key], issues)
    }
  }
  const split = asRecord(options?.['parallel'])?.['splitLargerThan']
  const sizes: [SpecPath, unknown][] = [[['options', 'parallel', 'splitLargerThan'], split]]
  const throttle = asRecord(options?.['throttle'])
  for (const phase of ['full', 'incremental']) {
    const bytes = asRecord(throttle?.[phase])?.['bytesPerSecond']
    sizes.push([['options', 'throttle', phase, 'bytesPerSecond'], bytes])
  }
  for (const [path, value] of sizes) {
    const isSizeForm =
      (typeof value === 'string' && sizeRegExp.test(value)) ||
      (typeof value === 'number' && Number.isInteger(value) && value >= 0)
    if (isSizeForm && parseSize(value) === undefined) tooLarge(path, issues)
  }
}

function tooLarge(path: SpecPath, issues: SpecIssue[]): void {
  issues.push({ path, code: 'bad-value', message: `${formatSpecPath(path)} is too large` })
}
