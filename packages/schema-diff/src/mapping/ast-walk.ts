import type { AstNode } from './sql-parser.js'

/** Called for every typed node; `fields` is the node's own object and may be changed in place. */
export type AstVisitor = (type: string, fields: Record<string, unknown>) => void | 'skip'

/**
 * Visits every typed node (`{ RangeVar: {...} }`) below `root`, depth first, parents before
 * children. Returning `'skip'` leaves that node's children unvisited, so a caller can handle a
 * sub-tree (such as a nested SELECT with its own scope) itself.
 */
export function walkAst(root: unknown, visit: AstVisitor): void {
  if (Array.isArray(root)) {
    for (const item of root) walkAst(item, visit)
    return
  }
  if (root === null || typeof root !== 'object') return
  for (const [key, value] of Object.entries(root as AstNode)) {
    const type = isNodeType(key) ? key : INLINE_NODES[key]
    if (type !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (visit(type, value as Record<string, unknown>) === 'skip') continue
    }
    walkAst(value, visit)
  }
}

// Fields whose value is a node written without its type wrapper (`typeName: { names }` rather
// than `{ TypeName: { names } }`).
const INLINE_NODES: Readonly<Record<string, string>> = {
  typeName: 'TypeName',
  argType: 'TypeName',
  returnType: 'TypeName',
  relation: 'RangeVar',
}

// libpg-query names node types in PascalCase and fields in snake/camel case.
function isNodeType(key: string): boolean {
  const first = key.charCodeAt(0)
  return first >= 65 && first <= 90
}

/** The strings of a list of `{ String: { sval } }` nodes. */
export function stringList(nodes: unknown): string[] {
  if (!Array.isArray(nodes)) return []
  return nodes.map((node) => ((node as { String?: { sval?: string } }).String?.sval ?? ''))
}

/** A list of `{ String: { sval } }` nodes. */
export function toStringNodes(values: readonly string[]): AstNode[] {
  return values.map((sval) => ({ String: { sval } }))
}
