import { renameIndexTree } from '@pgshift/schema-diff'
import type { DdlContext } from './ddl-context.js'
import { nodeOf } from './ddl-syntax.js'
import type { AstNode } from './ddl-syntax.js'
import type { DdlTranslation } from './ddl-translation.js'

/** CREATE INDEX on a table the migration moves, names mapped, built in the applier's transaction. */
export function translateCreateIndex(context: DdlContext, tree: AstNode): DdlTranslation {
  const statement = nodeOf(tree, 'IndexStmt') as Record<string, unknown>
  const table = context.mainTable(['index'])
  if (context.scope.table(table.schema, table.name) === undefined) {
    return context.ignore(`${table.schema}.${table.name} is not moved by the migration`)
  }
  context.qualifyTarget(statement['relation'] as Record<string, unknown>, table)
  // an unnamed index gets a name made of its columns' names: the source's name is kept
  const index = context.captured.commands.find((command) => command.commandTag === 'CREATE INDEX' && command.objectType === 'index')
  if (index?.name != null) statement['idxname'] = index.name
  if (statement['concurrent'] === true) {
    statement['concurrent'] = false
    context.notes.push('CONCURRENTLY dropped: the destination builds the index inside the applier transaction')
  }
  const renamed = renameIndexTree(statement, context.renamer)
  if (renamed.excludedColumns.length > 0) {
    return context.ignore(`the index uses excluded columns (${renamed.excludedColumns.join(', ')}), as the schema phase leaves it out`)
  }
  return context.apply([tree], [table], context.scope)
}
