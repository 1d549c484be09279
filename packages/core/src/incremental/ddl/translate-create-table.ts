import { renameRangeVarTree } from '@pgshift/schema-diff'
import type { DdlContext } from './ddl-context.js'
import { nodeOf, nodeType } from './ddl-syntax.js'
import type { AstNode } from './ddl-syntax.js'
import type { DdlTranslation } from './ddl-translation.js'
import { translateColumnDefinition } from './translate-column-definition.js'

/**
 * CREATE TABLE of a table the migration selects (a whole schema or the whole database): the
 * destination creates it under the mapped schema, and it joins the scope. The source trigger
 * has already added it to the publication, so its rows follow.
 */
export function translateCreateTable(context: DdlContext, tree: AstNode): DdlTranslation {
  const statement = nodeOf(tree, 'CreateStmt') as Record<string, unknown>
  const table = context.mainTable()
  const name = `${table.schema}.${table.name}`
  if (!context.scope.selectsNewTable(table.schema, table.name)) return context.ignore(`${name} is not selected by the migration`)
  const range = statement['relation'] as Record<string, unknown>
  context.qualifyTarget(range, table)
  if (table.persistence !== 'p') throw context.unsupported(`${name} is UNLOGGED: its rows are not replicated`)
  if (statement['partbound'] !== undefined || table.isPartition) throw context.unsupported(`${name} is a partition: new partitions are not supported`)
  if (statement['partspec'] !== undefined) throw context.unsupported(`${name} is partitioned: new partitioned tables are not supported`)
  if (((statement['inhRelations'] as unknown[] | undefined) ?? []).length > 0) throw context.unsupported(`${name} inherits: new inheritance children are not supported`)
  if (statement['ofTypename'] !== undefined) throw context.unsupported(`${name} is a typed table (OF type): not supported`)
  if (!table.published) throw context.unsupported(`the source capture could not add ${name} to the publication, so its rows would be missed`)
  for (const element of (statement['tableElts'] as AstNode[] | undefined) ?? []) {
    const type = nodeType(element)
    if (type === 'ColumnDef') {
      const definition = nodeOf(element, 'ColumnDef') as Record<string, unknown>
      translateColumnDefinition(context, definition, table, undefined, definition['colname'] as string, true)
    } else if (type === 'Constraint') {
      const constraint = nodeOf(element, 'Constraint') as Record<string, unknown>
      if (constraint['pktable'] !== undefined) context.qualifyReferenced(constraint, table, table)
      context.renameConstraint(constraint, undefined)
    } else {
      throw context.unsupported(`${type === 'TableLikeClause' ? 'LIKE' : type} in CREATE TABLE is not supported`)
    }
  }
  renameRangeVarTree(range, context.renamer)
  const destinationSchema = context.scope.destinationSchema(table.schema)
  const scope = context.scope.withTable({
    schema: table.schema,
    name: table.name,
    destinationSchema,
    destinationName: table.name,
    columns: { exclude: [], rename: {} },
    isListed: false,
  })
  return context.apply([tree], [table], scope)
}
