import { quoteIdentifier, quoteQualifiedName } from '@pgshift/schema-diff'
import type { SourceTableName } from './captured-ddl.js'
import type { DdlContext } from './ddl-context.js'
import { nodeOf } from './ddl-syntax.js'
import type { AstNode } from './ddl-syntax.js'
import type { DdlTranslation } from './ddl-translation.js'

/** DROP TABLE: the moved tables among the dropped ones are dropped on the destination. */
export function translateDropTable(context: DdlContext, tree: AstNode): DdlTranslation {
  const statement = nodeOf(tree, 'DropStmt') as Record<string, unknown>
  const dropped: SourceTableName[] = context.captured.commands
    .filter((command) => command.objectType === 'table' && command.table !== null)
    .map((command) => ({ schema: command.table?.schema ?? '', name: command.table?.name ?? '' }))
    .filter((table) => context.scope.table(table.schema, table.name) !== undefined)
  if (dropped.length === 0) return context.ignore('no table the migration moves was dropped')
  let scope = context.scope
  const names = dropped.map((table) => {
    const scoped = context.scope.table(table.schema, table.name)
    scope = scope.withoutTable(table)
    return quoteQualifiedName(scoped?.destinationSchema ?? table.schema, scoped?.destinationName ?? table.name)
  })
  const cascade = statement['behavior'] === 'DROP_CASCADE' ? ' CASCADE' : ''
  return context.apply([`DROP TABLE ${names.join(', ')}${cascade}`], dropped, scope)
}

/**
 * DROP INDEX of an index in a schema the migration moves tables of. The dropped index's table
 * is gone from the catalog by then, so the destination drops it IF EXISTS: an index of a table
 * left out is not there.
 */
export function translateDropIndex(context: DdlContext): DdlTranslation {
  const dropped = context.captured.commands.filter(
    (command) => command.objectType === 'index' && command.schema !== null && command.name !== null,
  )
  const schemas = new Set(context.scope.tables().map((table) => table.schema))
  const moved = dropped.filter((command) => schemas.has(command.schema ?? '') || context.scope.selectsWholeSchema(command.schema ?? ''))
  if (moved.length === 0) return context.ignore('no index of a table the migration moves was dropped')
  const names = moved.map((command) =>
    `${quoteIdentifier(context.scope.destinationSchema(command.schema ?? ''))}.${quoteIdentifier(command.name ?? '')}`,
  )
  return context.apply([`DROP INDEX IF EXISTS ${names.join(', ')}`], [], context.scope)
}
