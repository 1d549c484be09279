import { loadSqlParser, quoteIdentifier } from '@pgshift/schema-diff'
import type { CapturedDdl } from './captured-ddl.js'
import { DdlContext } from './ddl-context.js'
import type { DdlScope } from './ddl-scope.js'
import { nodeOf, nodeType, parseQueryString } from './ddl-syntax.js'
import type { AstNode } from './ddl-syntax.js'
import type { DdlTranslation } from './ddl-translation.js'
import { firesDdlEvent } from './fires-ddl-event.js'
import { translateAlterTable } from './translate-alter-table.js'
import { translateCreateIndex } from './translate-create-index.js'
import { translateCreateTable } from './translate-create-table.js'
import { translateDropIndex, translateDropTable } from './translate-drop.js'
import { translateRename } from './translate-rename.js'
import { UnsupportedDdlError } from './unsupported-ddl-error.js'

// Tags whose statements change nothing the destination holds data by.
const NOT_REPLICATED = new Map([
  ['GRANT', 'privileges are not replicated'],
  ['REVOKE', 'privileges are not replicated'],
  ['ALTER DEFAULT PRIVILEGES', 'privileges are not replicated'],
  ['COMMENT', 'comments are not replicated'],
  ['SECURITY LABEL', 'security labels are not replicated'],
  ['REFRESH MATERIALIZED VIEW', 'materialized view contents are not replicated (refresh it on the destination)'],
  ['ALTER PUBLICATION', 'publications are the source replication setting'],
  ['CREATE PUBLICATION', 'publications are the source replication setting'],
  ['DROP PUBLICATION', 'publications are the source replication setting'],
])

/**
 * What the destination must do for a captured DDL statement: the statements to run (names
 * mapped through the spec's renames and column excludes, on the syntax tree), or nothing
 * (objects the migration does not move). Throws {@link UnsupportedDdlError}, naming the
 * statement, for DDL on moved objects that cannot be replayed faithfully.
 *
 * The statement is found in the captured query string by its ordinal among the statements that
 * fire DDL event triggers, then checked against what the capture saw (tag, table): DDL run
 * inside functions or DO blocks, which current_query() does not show, is never guessed at.
 */
export async function translateCapturedDdl(captured: CapturedDdl, scope: DdlScope): Promise<DdlTranslation> {
  if (captured.migration !== scope.migration) return { kind: 'ignore', reason: `captured for migration ${captured.migration}` }
  if (captured.captureError !== null) {
    throw new UnsupportedDdlError(captured.queryText, `the source capture failed (${captured.captureError})`, captured.id)
  }
  const notReplicated = NOT_REPLICATED.get(captured.commandTag)
  if (notReplicated !== undefined) return { kind: 'ignore', reason: notReplicated }
  const touchesMoved = touchesMovedObject(captured, scope)
  // renames and schema moves are captured under the new names: the statement shows the old ones
  const mayHideOldName = captured.commandTag === 'ALTER TABLE' || captured.commandTag === 'ALTER INDEX'
  const inMovedSchema = captured.commands.some(
    (command) => command.schema !== null && (scope.selectsWholeSchema(command.schema) || scope.tables().some((t) => t.schema === command.schema)),
  )
  const isRelevant =
    touchesMoved ||
    mayHideOldName ||
    (captured.commandTag === 'DROP INDEX' && inMovedSchema) ||
    (captured.commandTag === 'CREATE SCHEMA' && scope.isWholeDatabase)
  if (!isRelevant) return { kind: 'ignore', reason: 'it changes no object the migration moves' }

  await loadSqlParser()
  const context = new DdlContext(captured, scope, captured.queryText)
  let statements
  try {
    statements = parseQueryString(captured.queryText).filter((statement) => firesDdlEvent(statement.tree))
  } catch (error) {
    throw context.unsupported(`the query string does not parse (${(error as Error).message})`)
  }
  const statement = statements[captured.statementOrdinal - 1]
  const expected = statement === undefined ? undefined : commandTagOf(statement.tree)
  if (statement === undefined || (expected !== captured.commandTag && HANDLED_TAGS.has(captured.commandTag))) {
    if (!touchesMoved && !inMovedSchema) return { kind: 'ignore', reason: 'it changes no object the migration moves' }
    const where = statement === undefined
      ? `statement ${captured.statementOrdinal} of the query string was not found`
      : `the capture saw ${captured.commandTag} where the query string has ${expected ?? nodeType(statement.tree)}`
    throw (statement === undefined ? context : new DdlContext(captured, scope, statement.text)).unsupported(
      `${where} (DDL run by a function or a DO block is not replayed)`,
    )
  }
  const own = new DdlContext(captured, scope, statement.text)
  switch (captured.commandTag) {
    case 'CREATE TABLE':
      return translateCreateTable(own, statement.tree)
    case 'ALTER TABLE':
    case 'ALTER INDEX':
      if (nodeType(statement.tree) === 'RenameStmt') return translateRename(own, statement.tree)
      if (nodeType(statement.tree) === 'AlterObjectSchemaStmt') return moveToSchema(own, statement.tree, touchesMoved)
      if (!touchesMoved) return { kind: 'ignore', reason: 'it changes no object the migration moves' }
      if (nodeType(statement.tree) === 'AlterTableStmt' && captured.commandTag === 'ALTER TABLE') {
        return translateAlterTable(own, statement.tree)
      }
      throw own.unsupported(`${captured.commandTag} ${nodeType(statement.tree)} is not supported`)
    case 'CREATE INDEX':
      return translateCreateIndex(own, statement.tree)
    case 'DROP TABLE':
      return translateDropTable(own, statement.tree)
    case 'DROP INDEX':
      return translateDropIndex(own)
    case 'CREATE SCHEMA':
      return createSchema(own, statement.tree)
    default:
      throw own.unsupported(`${captured.commandTag} on objects the migration moves is not supported`)
  }
}

const HANDLED_TAGS = new Set(['CREATE TABLE', 'ALTER TABLE', 'ALTER INDEX', 'CREATE INDEX', 'DROP TABLE', 'DROP INDEX', 'CREATE SCHEMA'])

// Whether the statement touches a moved table, a table the migration would select, or any
// object of a schema selected whole.
function touchesMovedObject(captured: CapturedDdl, scope: DdlScope): boolean {
  return captured.commands.some((command) => {
    const table = command.table
    if (table !== null && (scope.table(table.schema, table.name) !== undefined || scope.selectsNewTable(table.schema, table.name))) {
      return true
    }
    return command.schema !== null && scope.selectsWholeSchema(command.schema)
  })
}

function commandTagOf(tree: AstNode): string | undefined {
  const type = nodeType(tree)
  const fields = nodeOf(tree, type) ?? {}
  const object = (key: string) => String(fields[key] ?? '').replace('OBJECT_', '').replace('_', ' ')
  switch (type) {
    case 'CreateStmt':
      return 'CREATE TABLE'
    case 'IndexStmt':
      return 'CREATE INDEX'
    case 'AlterTableStmt':
      return `ALTER ${object('objtype')}`
    case 'RenameStmt': {
      const renamed = fields['renameType']
      if (renamed === 'OBJECT_COLUMN' || renamed === 'OBJECT_TABCONSTRAINT') return `ALTER ${object('relationType')}`
      return `ALTER ${object('renameType')}`
    }
    case 'DropStmt':
      return `DROP ${object('removeType')}`
    case 'AlterObjectSchemaStmt':
      return `ALTER ${object('objectType')}`
    case 'CreateSchemaStmt':
      return 'CREATE SCHEMA'
    default:
      return undefined
  }
}

// ALTER TABLE ... SET SCHEMA: unsupported when the table is moved, before or after
function moveToSchema(context: DdlContext, tree: AstNode, touchesMoved: boolean): DdlTranslation {
  const statement = nodeOf(tree, 'AlterObjectSchemaStmt') as Record<string, unknown>
  const range = statement['relation'] as Record<string, unknown> | undefined
  const name = range?.['relname'] as string | undefined
  const schema = range?.['schemaname'] as string | undefined
  const candidates = schema !== undefined ? [schema] : context.captured.searchPathSchemas
  const wasMoved = name !== undefined && candidates.some((candidate) => context.scope.table(candidate, name) !== undefined)
  if (!wasMoved && !touchesMoved) return context.ignore('it changes no object the migration moves')
  throw context.unsupported('moving a table to another schema is not supported')
}

// a new schema under a whole-database selection: its tables will be selected, so it must exist
function createSchema(context: DdlContext, tree: AstNode): DdlTranslation {
  const statement = nodeOf(tree, 'CreateSchemaStmt') as Record<string, unknown>
  if (((statement['schemaElts'] as unknown[] | undefined) ?? []).length > 0) {
    throw context.unsupported('CREATE SCHEMA with objects inside it is not supported')
  }
  const name = statement['schemaname'] as string | undefined
  if (name === undefined) throw context.unsupported('CREATE SCHEMA without a name is not supported')
  return context.apply([`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(context.scope.destinationSchema(name))}`], [], context.scope)
}
