import { renameRangeVarTree } from '@pgshift/schema-diff'
import type { DdlContext } from './ddl-context.js'
import { nodeOf } from './ddl-syntax.js'
import type { AstNode } from './ddl-syntax.js'
import type { DdlTranslation } from './ddl-translation.js'

/**
 * ALTER TABLE ... RENAME (table, column, constraint) and ALTER INDEX ... RENAME on tables the
 * migration moves. Renames the spec's names depend on stop the migration: a table the spec
 * lists by name, a column it excludes or renames, a name moving in or out of the selection.
 */
export function translateRename(context: DdlContext, tree: AstNode): DdlTranslation {
  const statement = nodeOf(tree, 'RenameStmt') as Record<string, unknown>
  const range = statement['relation'] as Record<string, unknown>
  switch (statement['renameType']) {
    case 'OBJECT_TABLE':
      return renameTable(context, tree, range, statement['newname'] as string)
    case 'OBJECT_COLUMN':
    case 'OBJECT_TABCONSTRAINT': {
      const table = context.mainTable()
      const scoped = context.scope.table(table.schema, table.name)
      if (scoped === undefined) return outside(context, table.schema, table.name)
      context.qualifyTarget(range, table)
      if (statement['renameType'] === 'OBJECT_COLUMN') {
        const mapped = new Set([...scoped.columns.exclude, ...Object.keys(scoped.columns.rename), ...Object.values(scoped.columns.rename)])
        for (const column of [statement['subname'], statement['newname']] as string[]) {
          if (mapped.has(column)) throw context.unsupported(`column ${column} of ${table.schema}.${table.name} is excluded or renamed by the spec`)
        }
      }
      renameRangeVarTree(range, context.renamer)
      return context.apply([tree], [table], context.scope)
    }
    case 'OBJECT_INDEX': {
      const table = context.mainTable(['index'])
      if (context.scope.table(table.schema, table.name) === undefined) return outside(context, table.schema, table.name)
      range['schemaname'] = context.scope.destinationSchema(table.schema)
      return context.apply([tree], [table], context.scope)
    }
    default:
      throw context.unsupported(`renaming ${String(statement['renameType']).replace('OBJECT_', '').toLowerCase()} is not supported`)
  }
}

function renameTable(context: DdlContext, tree: AstNode, range: Record<string, unknown>, newName: string): DdlTranslation {
  // the capture sees the table after the rename: its schema, and its new name
  const after = context.mainTable()
  const before = { schema: after.schema, name: range['relname'] as string }
  const scoped = context.scope.table(before.schema, before.name)
  const selectsNewName = context.scope.selectsNewTable(after.schema, newName)
  if (scoped === undefined) {
    if (selectsNewName) throw context.unsupported(`the rename moves ${after.schema}.${newName} into the selection; its rows were never copied`)
    return context.ignore(`${before.schema}.${before.name} is not moved by the migration`)
  }
  if (scoped.isListed) throw context.unsupported(`${before.schema}.${before.name} is listed by name in the spec; rename it there too, then restart`)
  if (!selectsNewName) throw context.unsupported(`the rename takes ${before.schema}.${before.name} out of the selection (exclude)`)
  context.qualifyTarget(range, before)
  renameRangeVarTree(range, context.renamer)
  const scope = context.scope.withoutTable(before).withTable({ ...scoped, name: newName, destinationName: newName })
  return context.apply([tree], [before], scope)
}

function outside(context: DdlContext, schema: string, name: string): DdlTranslation {
  if (context.scope.selectsNewTable(schema, name)) {
    throw context.unsupported(`${schema}.${name} would be moved by the migration, but it is not among the tables it moves`)
  }
  return context.ignore(`${schema}.${name} is not moved by the migration`)
}
