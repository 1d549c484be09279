import { renameRangeVarTree, renameTableTree } from '@pgshift/schema-diff'
import type { SourceRelation } from '@pgshift/schema-diff'
import type { CapturedTable } from './captured-ddl.js'
import { translateColumnDefinition } from './translate-column-definition.js'
import type { DdlContext } from './ddl-context.js'
import { nodeOf } from './ddl-syntax.js'
import type { AstNode } from './ddl-syntax.js'
import type { DdlTranslation } from './ddl-translation.js'

// Sub-commands that only change the source's physical or access details: left out, noted.
const SOURCE_ONLY = new Map([
  ['AT_ChangeOwner', 'owner changes are not replicated'],
  ['AT_SetStatistics', 'statistics targets are not replicated'],
  ['AT_SetStorage', 'column storage is not replicated'],
  ['AT_SetCompression', 'column compression is not replicated'],
  ['AT_SetRelOptions', 'storage parameters are not replicated'],
  ['AT_ResetRelOptions', 'storage parameters are not replicated'],
  ['AT_SetOptions', 'column options are not replicated'],
  ['AT_ResetOptions', 'column options are not replicated'],
  ['AT_ReplicaIdentity', 'replica identity is a setting of the source replication'],
  ['AT_ClusterOn', 'CLUSTER ON is not replicated'],
  ['AT_DropCluster', 'CLUSTER ON is not replicated'],
  ['AT_SetTableSpace', 'tablespaces are not replicated'],
])

/** ALTER TABLE on a table the migration moves: its supported sub-commands, names mapped. */
export function translateAlterTable(context: DdlContext, tree: AstNode): DdlTranslation {
  const statement = nodeOf(tree, 'AlterTableStmt') as Record<string, unknown>
  const table = context.mainTable()
  const scoped = context.scope.table(table.schema, table.name)
  if (scoped === undefined) {
    if (context.scope.selectsNewTable(table.schema, table.name)) {
      throw context.unsupported(`${table.schema}.${table.name} would be moved by the migration, but it is not among the tables it moves`)
    }
    return context.ignore(`${table.schema}.${table.name} is not moved by the migration`)
  }
  const range = statement['relation'] as Record<string, unknown>
  context.qualifyTarget(range, table)
  const relation = context.relation(table)
  const followUps: AstNode[] = []
  const kept: AstNode[] = []
  for (const node of (statement['cmds'] as AstNode[] | undefined) ?? []) {
    const command = nodeOf(node, 'AlterTableCmd') as Record<string, unknown>
    if (translateCommand(context, command, table, relation, followUps)) kept.push(node)
  }
  if (kept.length === 0) return context.ignore(`nothing of it applies to the destination: ${context.notes.join('; ')}`)
  statement['cmds'] = kept
  renameRangeVarTree(range, context.renamer)
  for (const followUp of followUps) {
    ;(nodeOf(followUp, 'AlterTableStmt') as Record<string, unknown>)['relation'] = structuredClone(range)
  }
  return context.apply([tree, ...followUps], [table], context.scope)
}

function translateCommand(
  context: DdlContext,
  command: Record<string, unknown>,
  table: CapturedTable,
  relation: SourceRelation | undefined,
  followUps: AstNode[],
): boolean {
  const subtype = String(command['subtype'])
  const skip = (why: string) => {
    context.notes.push(why)
    return false
  }
  const sourceOnly = SOURCE_ONLY.get(subtype)
  if (sourceOnly !== undefined) return skip(sourceOnly)
  const column = typeof command['name'] === 'string' ? command['name'] : undefined
  switch (subtype) {
    case 'AT_AddColumn': {
      const definition = nodeOf(command['def'], 'ColumnDef') as Record<string, unknown>
      const name = definition['colname'] as string
      const destination = relation === undefined ? name : context.renamer.column(relation, name)
      if (destination === null) return skip(`column ${name} is excluded`)
      definition['colname'] = destination
      followUps.push(...translateColumnDefinition(context, definition, table, relation, name, false))
      return true
    }
    case 'AT_DropColumn':
    case 'AT_ColumnDefault':
    case 'AT_SetNotNull':
    case 'AT_DropNotNull':
    case 'AT_AlterColumnType': {
      const mapped = column === undefined || relation === undefined ? column : context.renamer.column(relation, column)
      if (mapped === null) return skip(`column ${column} is excluded`)
      command['name'] = mapped
      if (subtype === 'AT_ColumnDefault' && command['def'] !== undefined) {
        renameTableTree(command['def'], relation, context.renamer)
      }
      if (subtype === 'AT_AlterColumnType') {
        const definition = nodeOf(command['def'], 'ColumnDef') as Record<string, unknown>
        renameTableTree({ TypeName: definition['typeName'] }, relation, context.renamer)
        if (definition['raw_default'] !== undefined) {
          const using = renameTableTree(definition['raw_default'], relation, context.renamer)
          if (using.excludedColumns.length > 0) {
            throw context.unsupported(`the USING expression reads excluded columns (${using.excludedColumns.join(', ')})`)
          }
        }
      }
      return true
    }
    case 'AT_AddConstraint': {
      const constraint = nodeOf(command['def'], 'Constraint') as Record<string, unknown>
      if (constraint['pktable'] !== undefined) context.qualifyReferenced(constraint, table, null)
      const excludedColumns = context.renameConstraint(constraint, relation)
      if (excludedColumns.length > 0) {
        const name = typeof constraint['conname'] === 'string' ? `constraint ${constraint['conname']}` : 'a constraint'
        return skip(`${name} uses excluded columns (${excludedColumns.join(', ')}), as the schema phase leaves it out`)
      }
      return true
    }
    case 'AT_DropConstraint':
    case 'AT_ValidateConstraint':
      return true
    default:
      throw context.unsupported(`ALTER TABLE sub-command ${subtype.replace('AT_', '')} is not supported`)
  }
}
