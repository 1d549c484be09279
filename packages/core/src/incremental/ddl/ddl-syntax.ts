import { parseSync } from 'libpg-query'

/** A node of libpg-query's JSON syntax tree: `{ NodeType: { ...fields } }`. */
export type AstNode = Record<string, unknown>

/** One statement of a query string: its tree and its own text. */
export interface ParsedStatement {
  readonly tree: AstNode
  readonly text: string
}

/** The statements of a query string, in order. Needs the parser loaded (loadSqlParser). */
export function parseQueryString(query: string): readonly ParsedStatement[] {
  const bytes = Buffer.from(query, 'utf8')
  return (parseSync(query).stmts ?? []).map((raw) => {
    const entry = raw as { stmt: AstNode; stmt_location?: number; stmt_len?: number }
    const start = entry.stmt_location ?? 0
    // positions are byte offsets; a length of 0 means "to the end of the string"
    const end = entry.stmt_len === undefined || entry.stmt_len === 0 ? bytes.length : start + entry.stmt_len
    return { tree: entry.stmt, text: bytes.subarray(start, end).toString('utf8').trim() }
  })
}

/** The fields of a node of the given type, or undefined when the node is of another type. */
export function nodeOf(node: unknown, type: string): Record<string, unknown> | undefined {
  const value = (node as AstNode | undefined)?.[type]
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
}

/** The type name of a node (`CreateStmt`). */
export function nodeType(node: AstNode): string {
  return Object.keys(node)[0] ?? ''
}

/** The strings of a list of `{ String: { sval } }` nodes. */
export function stringValues(nodes: unknown): string[] {
  if (!Array.isArray(nodes)) return []
  return nodes.map((node) => nodeOf(node, 'String')?.['sval'] as string ?? '')
}
