import { quoteIdentifier } from '../sql/quote-identifier.js'
import { stringList, toStringNodes, walkAst } from './ast-walk.js'
import type { NameRenamer, SourceRelation } from './name-renamer.js'
import { sameTree } from './same-definition.js'
import { deparse, parseStatement } from './sql-parser.js'
import type { AstNode } from './sql-parser.js'

// Definitions are rewritten on their syntax tree, never as text: a column called like a schema,
// or a name inside a string literal, must not be touched. A definition the mapping does not
// affect keeps PostgreSQL's own text; a rewritten one is deparsed, and the deparsed text is
// parsed again and compared with the rewritten tree, so that a deparser gap can never silently
// change a definition.

/** A definition after renaming. */
export interface RenamedSql {
  readonly sql: string
  readonly changed: boolean
  /** Source columns the definition uses that the mapping excludes. */
  readonly excludedColumns: readonly string[]
}

/** Raised when a rewritten definition cannot be printed back faithfully. */
export class RenameError extends Error {}

interface ScopeItem {
  /** The name column references use for it: its alias, or its (source) relation name. */
  readonly reference: string
  readonly hasAlias: boolean
  readonly relation: SourceRelation | undefined
}

class Rewrite {
  changed = false
  readonly excluded: string[] = []
  constructor(readonly renamer: NameRenamer) {}

  renameSchema(fields: Record<string, unknown>, key: string): void {
    const schema = fields[key]
    if (typeof schema !== 'string') return
    const renamed = this.renamer.schema(schema)
    if (renamed !== schema) {
      fields[key] = renamed
      this.changed = true
    }
  }

  /** Renames a RangeVar in place and returns the scope entry it opens. */
  rangeVar(range: Record<string, unknown>): ScopeItem {
    const schema = range['schemaname'] as string | undefined
    const name = range['relname'] as string
    const relation = this.renamer.resolve(schema, name)
    const alias = (range['alias'] as { aliasname?: string } | undefined)?.aliasname
    if (relation !== undefined) {
      const renamed = this.renamer.relationName(relation)
      if (renamed !== name) {
        range['relname'] = renamed
        this.changed = true
      }
    }
    this.renameSchema(range, 'schemaname')
    return { reference: alias ?? name, hasAlias: alias !== undefined, relation }
  }

  column(relation: SourceRelation | undefined, column: string): string {
    if (relation === undefined) return column
    const renamed = this.renamer.column(relation, column)
    if (renamed === null) {
      this.excluded.push(column)
      return column
    }
    if (renamed !== column) this.changed = true
    return renamed
  }

  columnList(relation: SourceRelation | undefined, nodes: unknown): AstNode[] | undefined {
    if (!Array.isArray(nodes)) return undefined
    return toStringNodes(stringList(nodes).map((column) => this.column(relation, column)))
  }
}

/** Renames inside an expression that belongs to one table (check, default, policy, ...). */
export function renameExpression(
  expression: string,
  table: SourceRelation | undefined,
  renamer: NameRenamer,
): RenamedSql {
  const rewrite = new Rewrite(renamer)
  const parse = (sql: string) => resTargetValue(parseStatement(`SELECT ${sql}`))
  const value = parse(expression)
  renameInScope(value, [[tableScope(table)]], rewrite)
  return finish(expression, value, rewrite, parse)
}

/** Renames a `CREATE [UNIQUE] INDEX` statement (pg_get_indexdef). */
export function renameIndexDefinition(definition: string, renamer: NameRenamer): RenamedSql {
  const rewrite = new Rewrite(renamer)
  const statement = parseStatement(definition)
  renameIndex(field(statement, 'IndexStmt'), rewrite)
  return finish(definition, statement, rewrite, parseStatement)
}

function renameIndex(index: Record<string, unknown>, rewrite: Rewrite): void {
  const item = rewrite.rangeVar(field(index, 'relation'))
  for (const key of ['indexParams', 'indexIncludingParams']) {
    for (const element of (index[key] as AstNode[] | undefined) ?? []) {
      renameIndexElement(field(element, 'IndexElem'), item, rewrite)
    }
  }
  renameInScope(index['whereClause'], [[item]], rewrite)
}

/** Renames a constraint definition (pg_get_constraintdef) of `table`. */
export function renameConstraintDefinition(
  definition: string,
  table: SourceRelation | undefined,
  renamer: NameRenamer,
): RenamedSql {
  const rewrite = new Rewrite(renamer)
  const parse = (sql: string) => {
    const statement = parseStatement(`ALTER TABLE ONLY t ADD ${sql}`)
    const command = field(field(statement, 'AlterTableStmt'), 'cmds') as unknown as AstNode[]
    return field(field(command[0] as AstNode, 'AlterTableCmd'), 'def')
  }
  const node = parse(definition)
  renameConstraint(field(node, 'Constraint'), table, rewrite)
  return finish(definition, node, rewrite, parse)
}

function renameConstraint(
  constraint: Record<string, unknown>,
  table: SourceRelation | undefined,
  rewrite: Rewrite,
): void {
  const item = tableScope(table)
  for (const key of ['keys', 'including', 'fk_attrs']) {
    const renamed = rewrite.columnList(table, constraint[key])
    if (renamed !== undefined) constraint[key] = renamed
  }
  if (constraint['pktable'] !== undefined) {
    const referenced = rewrite.rangeVar(field(constraint, 'pktable'))
    const renamed = rewrite.columnList(referenced.relation, constraint['pk_attrs'])
    if (renamed !== undefined) constraint['pk_attrs'] = renamed
  }
  for (const exclusion of (constraint['exclusions'] as AstNode[][] | undefined) ?? []) {
    const element = (exclusion as unknown as { List?: { items: AstNode[] } }).List?.items[0]
    if (element !== undefined) renameIndexElement(field(element, 'IndexElem'), item, rewrite)
  }
  renameInScope(constraint['raw_expr'], [[item]], rewrite)
  renameInScope(constraint['where_clause'], [[item]], rewrite)
}

/** Renames a `CREATE [CONSTRAINT] TRIGGER` statement (pg_get_triggerdef). */
export function renameTriggerDefinition(definition: string, renamer: NameRenamer): RenamedSql {
  const rewrite = new Rewrite(renamer)
  const statement = parseStatement(definition)
  const trigger = field(statement, 'CreateTrigStmt')
  const item = rewrite.rangeVar(field(trigger, 'relation'))
  renameFunctionName(trigger, 'funcname', rewrite)
  const columns = rewrite.columnList(item.relation, trigger['columns'])
  if (columns !== undefined) trigger['columns'] = columns
  const transition = (reference: string): ScopeItem => ({
    reference,
    hasAlias: true,
    relation: item.relation,
  })
  renameInScope(trigger['whenClause'], [[item, transition('new'), transition('old')]], rewrite)
  return finish(definition, statement, rewrite, parseStatement)
}

/** Renames a view's query (pg_get_viewdef), keeping its output column names. */
export function renameViewDefinition(definition: string, renamer: NameRenamer): RenamedSql {
  const rewrite = new Rewrite(renamer)
  const parse = (sql: string) => parseStatement(sql.trim().replace(/;\s*$/, ''))
  const statement = parse(definition)
  renameSelect(field(statement, 'SelectStmt'), [], rewrite)
  return finish(definition, statement, rewrite, parse)
}

/** Renames the columns of a partition key (pg_get_partkeydef: `RANGE (created_at)`). */
export function renamePartitionKey(
  partitionKey: string,
  table: SourceRelation | undefined,
  renamer: NameRenamer,
): RenamedSql {
  const rewrite = new Rewrite(renamer)
  const parse = (sql: string) => parseStatement(`CREATE TABLE t () PARTITION BY ${sql}`)
  const statement = parse(partitionKey)
  const spec = field(field(statement, 'CreateStmt'), 'partspec')
  const item = tableScope(table)
  for (const element of (spec['partParams'] as AstNode[] | undefined) ?? []) {
    const partition = field(element, 'PartitionElem')
    if (typeof partition['name'] === 'string') {
      partition['name'] = rewrite.column(table, partition['name'])
    }
    renameInScope(partition['expr'], [[item]], rewrite)
  }
  const result = finish(partitionKey, statement, rewrite, parseStatement)
  if (!result.changed) return result
  // the deparser prints only whole statements here; keep what follows PARTITION BY
  const marker = result.sql.indexOf('PARTITION BY ')
  return { ...result, sql: result.sql.slice(marker + 'PARTITION BY '.length) }
}

/** Renames schema-qualified names in a function's signature and SQL-standard body. */
export function renameFunctionDefinition(definition: string, renamer: NameRenamer): RenamedSql {
  const rewrite = new Rewrite(renamer)
  const statement = parseStatement(definition)
  renameQualifiedList(field(statement, 'CreateFunctionStmt'), 'funcname', rewrite)
  renameInScope(statement, [], rewrite)
  return finish(definition, statement, rewrite, parseStatement)
}

function renameIndexElement(
  element: Record<string, unknown>,
  item: ScopeItem,
  rewrite: Rewrite,
): void {
  if (typeof element['name'] === 'string') {
    element['name'] = rewrite.column(item.relation, element['name'])
  }
  renameInScope(element['expr'], [[item]], rewrite)
  renameInScope(element['collation'], [[item]], rewrite)
}

function renameSelect(select: Record<string, unknown>, outer: ScopeItem[][], rewrite: Rewrite) {
  for (const cte of (field(select, 'withClause', true)['ctes'] as AstNode[] | undefined) ?? []) {
    const query = field(field(cte, 'CommonTableExpr'), 'ctequery')
    renameSelect(field(query, 'SelectStmt'), outer, rewrite)
  }
  if (select['op'] !== undefined && select['op'] !== 'SETOP_NONE') {
    renameSelect(field(field(select, 'larg'), 'SelectStmt', true), outer, rewrite)
    renameSelect(field(field(select, 'rarg'), 'SelectStmt', true), outer, rewrite)
    return
  }
  const items: ScopeItem[] = []
  const joins: Record<string, unknown>[] = []
  const collect = (node: AstNode) => {
    const [type, fields] = Object.entries(node)[0] as [string, Record<string, unknown>]
    if (type === 'RangeVar') items.push(rewrite.rangeVar(fields))
    else if (type === 'JoinExpr') {
      collect(field(fields, 'larg'))
      collect(field(fields, 'rarg'))
      joins.push(fields)
    } else if (type === 'RangeSubselect') {
      renameSelect(field(field(fields, 'subquery'), 'SelectStmt'), [...outer, items], rewrite)
      const alias = (fields['alias'] as { aliasname?: string } | undefined)?.aliasname
      if (alias !== undefined) items.push({ reference: alias, hasAlias: true, relation: undefined })
    } else renameInScope(fields, [...outer, items], rewrite)
  }
  for (const from of (select['fromClause'] as AstNode[] | undefined) ?? []) collect(from)
  const scopes = [...outer, items]
  for (const join of joins) renameInScope(join['quals'], scopes, rewrite)
  for (const target of (select['targetList'] as AstNode[] | undefined) ?? []) {
    const result = field(target, 'ResTarget')
    const before = columnRefName(result['val'])
    renameInScope(result['val'], scopes, rewrite)
    const after = columnRefName(result['val'])
    // a renamed column keeps the view's output name, so the view's interface stays the same
    if (result['name'] === undefined && before !== undefined && after !== before) {
      result['name'] = before
    }
  }
  for (const key of [
    'whereClause',
    'groupClause',
    'havingClause',
    'sortClause',
    'windowClause',
    'distinctClause',
    'limitCount',
    'limitOffset',
    'valuesLists',
  ]) {
    renameInScope(select[key], scopes, rewrite)
  }
}

function renameInScope(root: unknown, scopes: ScopeItem[][], rewrite: Rewrite): void {
  walkAst(root, (type, fields) => {
    switch (type) {
      case 'SelectStmt':
        renameSelect(fields, scopes, rewrite)
        return 'skip'
      case 'ColumnRef':
        renameColumnRef(fields, scopes, rewrite)
        return 'skip'
      case 'RangeVar':
        rewrite.rangeVar(fields)
        return 'skip'
      case 'FuncCall':
        renameFunctionName(fields, 'funcname', rewrite)
        return undefined
      case 'TypeName':
        renameQualifiedList(fields, 'names', rewrite)
        return 'skip'
      case 'TypeCast':
        renameRegclassLiteral(fields, rewrite)
        return undefined
      default:
        return undefined
    }
  })
}

function renameColumnRef(ref: Record<string, unknown>, scopes: ScopeItem[][], rewrite: Rewrite) {
  const nodes = ref['fields'] as AstNode[]
  const names = stringList(nodes)
  const isStar = nodes.at(-1)?.['A_Star'] !== undefined
  const innermostFirst = scopes.flat().reverse()
  let item: ScopeItem | undefined
  let qualifierIndex = -1
  if (names.length === 1 && !isStar) {
    const column = names[0] as string
    item = innermostFirst.find((candidate) => candidate.relation?.columns.includes(column))
  } else if (names.length >= 2) {
    qualifierIndex = names.length - 2
    const qualifier = names[qualifierIndex] as string
    item = innermostFirst.find((candidate) => candidate.reference === qualifier)
  }
  if (item === undefined) return
  if (qualifierIndex >= 0 && !item.hasAlias && item.relation !== undefined) {
    nodes[qualifierIndex] = { String: { sval: rewrite.renamer.relationName(item.relation) } }
    if (qualifierIndex >= 1) {
      const schema = names[qualifierIndex - 1] as string
      nodes[qualifierIndex - 1] = { String: { sval: rewrite.renamer.schema(schema) } }
    }
  }
  if (!isStar) {
    const column = names.at(-1) as string
    nodes[nodes.length - 1] = { String: { sval: rewrite.column(item.relation, column) } }
  }
}

function renameFunctionName(fields: Record<string, unknown>, key: string, rewrite: Rewrite) {
  renameQualifiedList(fields, key, rewrite)
}

// Qualified names as lists: [schema, name] (or [catalog, schema, name]); pg_catalog is left alone.
function renameQualifiedList(fields: Record<string, unknown>, key: string, rewrite: Rewrite) {
  const names = stringList(fields[key])
  if (names.length < 2) return
  const schemaIndex = names.length - 2
  const schema = names[schemaIndex] as string
  const renamed = rewrite.renamer.schema(schema)
  if (renamed === schema) return
  names[schemaIndex] = renamed
  fields[key] = toStringNodes(names)
  rewrite.changed = true
}

// `'sales.orders_id_seq'::regclass` names a relation inside a string literal.
function renameRegclassLiteral(cast: Record<string, unknown>, rewrite: Rewrite) {
  const type = stringList(field(cast, 'typeName', true)['names']).at(-1)
  if (type !== 'regclass') return
  const literal = (cast['arg'] as { A_Const?: { sval?: { sval?: string } } } | undefined)?.A_Const
  const text = literal?.sval?.sval
  if (literal?.sval === undefined || text === undefined) return
  const name = parseQualifiedName(text)
  if (name === undefined) return
  const relation = rewrite.renamer.resolve(name.schema, name.name)
  const schema = name.schema === undefined ? undefined : rewrite.renamer.schema(name.schema)
  const relname = relation === undefined ? name.name : rewrite.renamer.relationName(relation)
  if (schema === name.schema && relname === name.name) return
  literal.sval.sval = [schema, relname]
    .filter((part): part is string => part !== undefined)
    .map((part) => quoteIdentifier(part))
    .join('.')
  rewrite.changed = true
}

function parseQualifiedName(text: string): { schema?: string; name: string } | undefined {
  try {
    const range = field(field(parseStatement(`TABLE ${text}`), 'SelectStmt'), 'fromClause')
    const fields = field((range as unknown as AstNode[])[0] as AstNode, 'RangeVar')
    const schema = fields['schemaname'] as string | undefined
    return schema === undefined ? { name: fields['relname'] as string } : { schema, name: fields['relname'] as string }
  } catch {
    return undefined
  }
}

function tableScope(table: SourceRelation | undefined): ScopeItem {
  return { reference: table?.name ?? '', hasAlias: false, relation: table }
}

function columnRefName(node: unknown): string | undefined {
  const ref = (node as { ColumnRef?: { fields: AstNode[] } } | undefined)?.ColumnRef
  return ref === undefined ? undefined : stringList(ref.fields).at(-1)
}

function resTargetValue(statement: AstNode): AstNode {
  const targets = field(field(statement, 'SelectStmt'), 'targetList') as unknown as AstNode[]
  return field(targets[0] as AstNode, 'ResTarget')['val'] as AstNode
}

function field(node: unknown, key: string, optional = false): Record<string, unknown> {
  const value = (node as Record<string, unknown> | undefined)?.[key]
  if (value === undefined || value === null) {
    if (optional) return {}
    throw new RenameError(`unexpected syntax tree: no ${key}`)
  }
  return value as Record<string, unknown>
}

function finish(
  original: string,
  rewritten: AstNode,
  rewrite: Rewrite,
  reparse: (sql: string) => AstNode,
): RenamedSql {
  const excludedColumns = [...new Set(rewrite.excluded)].sort()
  if (!rewrite.changed) return { sql: original, changed: false, excludedColumns }
  const sql = deparse(rewritten)
  let again: AstNode
  try {
    again = reparse(sql)
  } catch (error) {
    throw new RenameError(`the renamed definition does not parse: ${(error as Error).message}`)
  }
  if (!sameTree(again, rewritten)) {
    throw new RenameError('the renamed definition cannot be printed back without changing it')
  }
  return { sql, changed: true, excludedColumns }
}

// Piece by piece, in place: for statements whose parts belong to different scopes (captured
// DDL: a CREATE TABLE's column types, defaults and constraints), renamed where they stand and
// printed once at the end with printRenamedTree.

/** What an in-place rename did. */
export interface TreeRenaming {
  readonly changed: boolean
  /** Source columns the renamed parts use that the mapping excludes. */
  readonly excludedColumns: readonly string[]
}

/** Renames, in place, the names of one table's syntax tree part: an expression, a type, a column default. */
export function renameTableTree(
  node: unknown,
  table: SourceRelation | undefined,
  renamer: NameRenamer,
): TreeRenaming {
  const rewrite = new Rewrite(renamer)
  renameInScope(node, [[tableScope(table)]], rewrite)
  return treeRenaming(rewrite)
}

/** Renames, in place, a `Constraint` node's fields (columns, referenced table, expressions) of `table`. */
export function renameConstraintTree(
  constraint: Record<string, unknown>,
  table: SourceRelation | undefined,
  renamer: NameRenamer,
): TreeRenaming {
  const rewrite = new Rewrite(renamer)
  renameConstraint(constraint, table, rewrite)
  return treeRenaming(rewrite)
}

/** Renames, in place, an `IndexStmt` node's table, key elements and predicate. */
export function renameIndexTree(index: Record<string, unknown>, renamer: NameRenamer): TreeRenaming {
  const rewrite = new Rewrite(renamer)
  renameIndex(index, rewrite)
  return treeRenaming(rewrite)
}

/** Renames, in place, a `RangeVar` (schema and table name) and says which source relation it names. */
export function renameRangeVarTree(
  range: Record<string, unknown>,
  renamer: NameRenamer,
): TreeRenaming & { readonly relation: SourceRelation | undefined } {
  const rewrite = new Rewrite(renamer)
  const { relation } = rewrite.rangeVar(range)
  return { ...treeRenaming(rewrite), relation }
}

/**
 * SQL text of a statement renamed in place, checked the way every renamed definition is: the
 * text parses back to the same tree, or a RenameError says why not.
 */
export function printRenamedTree(statement: AstNode): string {
  const sql = deparse(statement)
  let again: AstNode
  try {
    again = parseStatement(sql)
  } catch (error) {
    throw new RenameError(`the renamed statement does not parse: ${(error as Error).message}`)
  }
  if (!sameTree(again, statement)) {
    throw new RenameError('the renamed statement cannot be printed back without changing it')
  }
  return sql
}

function treeRenaming(rewrite: Rewrite): TreeRenaming {
  return { changed: rewrite.changed, excludedColumns: [...new Set(rewrite.excluded)].sort() }
}
