import { renameTableTree } from '@pgshift/schema-diff'
import type { SourceRelation } from '@pgshift/schema-diff'
import type { CapturedTable } from './captured-ddl.js'
import type { DdlContext } from './ddl-context.js'
import { nodeOf } from './ddl-syntax.js'
import type { AstNode } from './ddl-syntax.js'

/**
 * Renames, in place, a column definition's type and constraints (names of the destination
 * column itself are the caller's). For a column added to a table that has rows
 * (`isNewTable` false), a default that is not a constant was evaluated on the source for the
 * rows already there: the destination gets that very value (pg_attribute.attmissingval) while
 * the column is added, then the expression as default for later rows — the returned
 * follow-up statements (their `relation` left for the caller to set). A value computed row by
 * row (volatile default, identity, serial on a table with rows) cannot be reproduced: error.
 */
export function translateColumnDefinition(
  context: DdlContext,
  definition: Record<string, unknown>,
  table: CapturedTable,
  relation: SourceRelation | undefined,
  sourceName: string,
  isNewTable: boolean,
): AstNode[] {
  const followUps: AstNode[] = []
  renameTableTree({ TypeName: definition['typeName'] }, relation, context.renamer)
  let isComputed = isSerialType(definition)
  for (const node of (definition['constraints'] as AstNode[] | undefined) ?? []) {
    const constraint = nodeOf(node, 'Constraint') as Record<string, unknown>
    if (constraint['pktable'] !== undefined) context.qualifyReferenced(constraint, table, isNewTable ? table : null)
    const excludedColumns = context.renameConstraint(constraint, relation)
    if (excludedColumns.length > 0) {
      throw context.unsupported(`column ${sourceName} uses excluded columns (${excludedColumns.join(', ')})`)
    }
    if (constraint['contype'] === 'CONSTR_IDENTITY') isComputed = true
    if (constraint['contype'] !== 'CONSTR_DEFAULT' || isConstantExpression(constraint['raw_expr'])) continue
    isComputed = true
    const missing = table.missingValues[sourceName]
    if (isNewTable || missing === undefined || table.rewrittenWithRows) continue
    followUps.push({
      AlterTableStmt: {
        cmds: [
          {
            AlterTableCmd: {
              subtype: 'AT_ColumnDefault',
              name: definition['colname'],
              def: constraint['raw_expr'],
              behavior: 'DROP_RESTRICT',
            },
          },
        ],
        objtype: 'OBJECT_TABLE',
      },
    })
    constraint['raw_expr'] = {
      TypeCast: { arg: { A_Const: { sval: { sval: missing } } }, typeName: structuredClone(definition['typeName']) },
    }
  }
  if (!isNewTable && isComputed && table.rewrittenWithRows) {
    throw context.unsupported(
      `the new column ${sourceName} got values computed row by row on the source (a volatile default, identity or serial on a table with rows), which the destination cannot reproduce`,
    )
  }
  return followUps
}

/**
 * Whether a default expression is a constant (a literal, possibly cast): its value for
 * existing rows is then the same on both sides.
 */
export function isConstantExpression(node: unknown): boolean {
  if (nodeOf(node, 'A_Const') !== undefined) return true
  const cast = nodeOf(node, 'TypeCast')
  return cast !== undefined && isConstantExpression(cast['arg'])
}

function isSerialType(column: Record<string, unknown>): boolean {
  const names = ((column['typeName'] as { names?: AstNode[] } | undefined)?.names ?? []).map(
    (node) => nodeOf(node, 'String')?.['sval'],
  )
  return names.length === 1 && ['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8'].includes(String(names[0]))
}
