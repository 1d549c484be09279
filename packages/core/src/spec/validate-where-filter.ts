import { parseSync, scanSync } from 'libpg-query'
import type { Node } from 'libpg-query'
import { deparseSync } from 'pgsql-deparser'
import { AGGREGATE_FUNCTIONS, WHERE_FUNCTIONS } from './where-functions.js'

/** What checking one row filter found. */
export interface WhereFilterResult {
  /** The canonical SQL of the expression, when it is valid: embed this, not the user's text. */
  readonly sql: string | undefined
  /** Why the filter is refused: a message to put after `where`, and the 0-based offset in it. */
  readonly error: { readonly message: string; readonly offset: number } | undefined
  /** The bare column names the expression reads. */
  readonly columns: readonly string[]
  /** Calls that are not immutable, such as `now()`, `CURRENT_DATE` (refused by row filters). */
  readonly nonImmutable: readonly string[]
}

// no parentheses around the filter: with them, "id = 1) OR (1 = 1" would parse
const prefix = 'SELECT 1 FROM t WHERE '

// One parser for the whole process: schema-diff loads the same WebAssembly module for renames.
export { loadSqlParser } from '@pgshift/schema-diff'

/**
 * Checks that a row filter is one side-effect-free SQL boolean expression over the table's own
 * columns, and returns its canonical SQL. Call {@link loadSqlParser} first.
 */
export function validateWhereFilter(filter: string): WhereFilterResult {
  if (filter.trim() === '') return refuse('must not be blank (leave it out to copy every row)', 0)
  const sql = prefix + filter
  let parsed: ReturnType<typeof parseSync>
  try {
    parsed = parseSync(sql)
  } catch (error) {
    return refuseSyntax(filter, error)
  }
  const statements = parsed.stmts ?? []
  if (statements.length !== 1) {
    const second = statements[1]?.stmt_location ?? prefix.length
    return refuse(
      `must be a single boolean expression: found ${statements.length} statements`,
      second - prefix.length,
    )
  }
  const statement = statements[0]?.stmt as Record<string, unknown> | undefined
  const select = statement?.['SelectStmt'] as Record<string, unknown> | undefined
  if (select === undefined) return refuse('must be a single boolean expression', 0)
  const extra = extraClause(select)
  if (extra !== undefined) {
    return refuse(
      `must be a single boolean expression: ${extra.name} is not allowed`,
      keywordOffset(sql, extra.keyword),
    )
  }
  const where = select['whereClause'] as Node | undefined
  if (where === undefined) return refuse('must be a single boolean expression', 0)
  const checker = new ExpressionChecker()
  const finding = checker.checkTop(where) ?? checker.walk(where)
  if (finding !== undefined) {
    return refuse(finding.message, Math.max(0, (finding.location ?? prefix.length) - prefix.length))
  }
  return {
    sql: deparseSync(where, { pretty: false }),
    error: undefined,
    columns: [...checker.columns],
    nonImmutable: [...checker.nonImmutable],
  }
}

interface Finding {
  readonly message: string
  readonly location: number | undefined
}

// SelectStmt fields that the wrapper itself produces
const wrapperFields = new Set(['targetList', 'fromClause', 'whereClause', 'limitOption', 'op'])

const clauseNames: Readonly<Record<string, Clause>> = {
  sortClause: { name: 'ORDER BY', keyword: ['order'] },
  limitCount: { name: 'LIMIT', keyword: ['limit', 'fetch'] },
  limitOffset: { name: 'OFFSET', keyword: ['offset'] },
  lockingClause: { name: 'FOR UPDATE/SHARE', keyword: ['for'] },
  groupClause: { name: 'GROUP BY', keyword: ['group'] },
  groupDistinct: { name: 'GROUP BY', keyword: ['group'] },
  havingClause: { name: 'HAVING', keyword: ['having'] },
  windowClause: { name: 'WINDOW', keyword: ['window'] },
}

interface Clause {
  readonly name: string
  readonly keyword: readonly string[]
}

function extraClause(select: Record<string, unknown>): Clause | undefined {
  const op = select['op']
  if (op !== 'SETOP_NONE') {
    const name = String(op).replace(/^SETOP_/u, '')
    return { name, keyword: [name.toLowerCase()] }
  }
  const field = Object.keys(select).find((key) => !wrapperFields.has(key))
  if (field === undefined) return undefined
  return clauseNames[field] ?? { name: 'anything but an expression', keyword: [] }
}

/** Offset in the filter of the first of the keywords outside parentheses. */
function keywordOffset(sql: string, keywords: readonly string[]): number {
  let depth = 0
  for (const token of scanSync(sql).tokens) {
    if (token.start < prefix.length) continue
    if (token.text === '(') depth += 1
    else if (token.text === ')') depth -= 1
    else if (depth === 0 && keywords.includes(token.text.toLowerCase())) {
      return token.start - prefix.length
    }
  }
  return 0
}

const nodeNames: Readonly<Record<string, string>> = {
  A_Star: '*',
  GroupingFunc: 'GROUPING()',
  SetToDefault: 'DEFAULT',
  XmlExpr: 'XML expressions',
  XmlSerialize: 'XMLSERIALIZE',
  MergeSupportFunc: 'merge_action()',
}

// expression nodes that only compute from their children
const plainNodes = new Set([
  'A_Expr', 'BoolExpr', 'NullTest', 'BooleanTest', 'A_Const', 'TypeCast', 'TypeName',
  'CoalesceExpr', 'MinMaxExpr', 'CaseExpr', 'CaseWhen', 'A_ArrayExpr', 'List', 'String',
  'Integer', 'Float', 'Boolean', 'BitString', 'CollateClause', 'A_Indirection', 'A_Indices',
  'RowExpr', 'JsonIsPredicate', 'JsonFuncExpr', 'JsonValueExpr', 'JsonFormat', 'JsonBehavior',
  'JsonOutput', 'JsonReturning', 'JsonArgument', 'SQLValueFunction',
])

const arithmeticOperators = new Set(['+', '-', '*', '/', '%', '^', '||'])

class ExpressionChecker {
  readonly columns = new Set<string>()
  readonly nonImmutable = new Set<string>()

  /** Refuses top-level expressions that can never be boolean: constants and arithmetic. */
  checkTop(node: Node): Finding | undefined {
    const [type, fields] = unwrap(node)
    if (type === 'A_Const') {
      const location = fields['location'] as number | undefined
      if ('boolval' in fields) return undefined
      return { message: `must be a boolean expression, got ${describeConstant(fields)}`, location }
    }
    if (type === 'A_Expr' && fields['kind'] === 'AEXPR_OP') {
      const operator = operatorName(fields)
      if (arithmeticOperators.has(operator)) {
        return {
          message: `must be a boolean expression, got a "${operator}" expression`,
          location: fields['location'] as number | undefined,
        }
      }
    }
    return undefined
  }

  /** Walks the expression; the first construct that is not allowed is returned. */
  walk(value: unknown): Finding | undefined {
    if (Array.isArray(value)) {
      for (const item of value) {
        const finding = this.walk(item)
        if (finding !== undefined) return finding
      }
      return undefined
    }
    if (value === null || typeof value !== 'object') return undefined
    const keys = Object.keys(value)
    const [first] = keys
    if (keys.length === 1 && first !== undefined && /^[A-Z]/u.test(first)) {
      const fields = (value as Record<string, Record<string, unknown>>)[first] ?? {}
      const verdict = this.checkNode(first, fields)
      if (verdict !== 'descend') return verdict === 'skip' ? undefined : verdict
      return this.walk(fields)
    }
    return this.walk(Object.values(value))
  }

  private checkNode(type: string, fields: Record<string, unknown>): Finding | 'descend' | 'skip' {
    const location = fields['location'] as number | undefined
    switch (type) {
      case 'SubLink':
        return { message: 'may not contain subqueries', location }
      case 'ParamRef':
        return { message: `may not contain parameters ($${String(fields['number'])})`, location }
      case 'ColumnRef':
        return this.checkColumn(fields) ?? 'skip'
      case 'FuncCall':
        return this.checkCall(fields) ?? 'descend'
      case 'A_Expr': {
        const name = qualifiedName(fields['name'])
        if (name.length > 1 && name[0] !== 'pg_catalog') {
          return {
            message: `may not use operator ${name.join('.')}: only built-in operators are allowed`,
            location,
          }
        }
        return 'descend'
      }
      case 'SQLValueFunction':
        this.nonImmutable.add(String(fields['op']).replace(/^SVFOP_/u, '').replace(/_N$/u, ''))
        return 'descend'
      default:
        if (plainNodes.has(type)) return 'descend'
        return { message: `may not use ${nodeNames[type] ?? `this construct (${type})`}`, location }
    }
  }

  private checkColumn(fields: Record<string, unknown>): Finding | undefined {
    const location = fields['location'] as number | undefined
    const parts = (fields['fields'] as unknown[] | undefined) ?? []
    const names = parts.map((part) => stringValue(part) ?? '*')
    if (names.includes('*')) return { message: 'may not use *', location }
    if (names.length > 1) {
      return {
        message: `may only use the table's own columns by their bare name, got ${names.join('.')}`,
        location,
      }
    }
    if (names[0] !== undefined) this.columns.add(names[0])
    return undefined
  }

  private checkCall(fields: Record<string, unknown>): Finding | undefined {
    const location = fields['location'] as number | undefined
    const name = qualifiedName(fields['funcname'])
    const shown = `${name.join('.')}()`
    const last = name[name.length - 1] ?? ''
    if (fields['over'] !== undefined) {
      return { message: `may not use window functions such as ${shown}`, location }
    }
    const isAggregate = ['agg_star', 'agg_distinct', 'agg_order', 'agg_filter', 'agg_within_group']
      .some((flag) => fields[flag] !== undefined)
    if (isAggregate || (name.length === 1 && AGGREGATE_FUNCTIONS.has(last))) {
      return { message: `may not use aggregate functions such as ${shown}`, location }
    }
    const isBuiltIn = name.length === 1 || (name.length === 2 && name[0] === 'pg_catalog')
    const volatility = isBuiltIn ? WHERE_FUNCTIONS.get(last) : undefined
    if (volatility === undefined) {
      const kind = isBuiltIn ? 'side-effect-free' : 'side-effect-free built-in'
      return { message: `may not call ${shown}: only ${kind} functions are allowed`, location }
    }
    if (volatility === 'stable') this.nonImmutable.add(`${last}()`)
    return undefined
  }
}

function unwrap(node: Node): [string, Record<string, unknown>] {
  const [entry] = Object.entries(node as unknown as Record<string, Record<string, unknown>>)
  return entry ?? ['', {}]
}

function stringValue(node: unknown): string | undefined {
  const value = (node as { String?: { sval?: unknown } } | undefined)?.String?.sval
  return typeof value === 'string' ? value : undefined
}

function qualifiedName(list: unknown): string[] {
  return Array.isArray(list) ? list.map((part) => stringValue(part) ?? '?') : []
}

function operatorName(fields: Record<string, unknown>): string {
  const name = qualifiedName(fields['name'])
  return name[name.length - 1] ?? ''
}

function describeConstant(fields: Record<string, unknown>): string {
  if (fields['isnull'] === true) return 'NULL'
  const number = (fields['ival'] as { ival?: number } | undefined) ?? undefined
  if (number !== undefined) return `the number ${number.ival ?? 0}`
  const float = fields['fval'] as { fval?: string } | undefined
  if (float !== undefined) return `the number ${float.fval ?? ''}`
  const text = fields['sval'] as { sval?: string } | undefined
  if (text !== undefined) return `the string '${(text.sval ?? '').replace(/'/gu, "''")}'`
  return 'a constant'
}

function refuse(message: string, offset: number): WhereFilterResult {
  return { sql: undefined, error: { message, offset }, columns: [], nonImmutable: [] }
}

function refuseSyntax(filter: string, error: unknown): WhereFilterResult {
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } })
    .sqlDetails
  const reason = details?.message ?? (error instanceof Error ? error.message : String(error))
  const offset = Math.min(
    filter.length,
    Math.max(0, (details?.cursorPosition ?? prefix.length) - prefix.length),
  )
  const where = `${describeOffset(filter, offset)} of the filter`
  return refuse(`is not valid SQL: ${reason} (${where})`, offset)
}

/** `col 7`, or `line 2, col 3` in a filter that spans lines (1-based). */
function describeOffset(filter: string, offset: number): string {
  const before = filter.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - (before.lastIndexOf('\n') + 1) + 1
  return line === 1 ? `col ${column}` : `line ${line}, col ${column}`
}
