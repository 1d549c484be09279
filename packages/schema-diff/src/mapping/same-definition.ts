import { isDeepStrictEqual } from 'node:util'
import { isSqlParserLoaded, parseStatement } from './sql-parser.js'
import type { AstNode } from './sql-parser.js'

/** How a definition string is written, so that it can be parsed on its own. */
export type DefinitionKind = 'statement' | 'expression' | 'constraint' | 'partition-key'

const wrappers: Record<DefinitionKind, (sql: string) => string> = {
  statement: (sql) => sql.trim().replace(/;\s*$/, ''),
  expression: (sql) => `SELECT ${sql}`,
  constraint: (sql) => `ALTER TABLE ONLY t ADD ${sql}`,
  'partition-key': (sql) => `CREATE TABLE t () PARTITION BY ${sql}`,
}

const cache = new Map<string, unknown>()

/**
 * Whether two definitions say the same thing: equal text, or equal syntax trees once source
 * positions are ignored. PostgreSQL prints `(0)::numeric` where a rewritten definition says
 * `0::numeric`; both parse to the same tree. Needs the SQL parser loaded (loadSqlParser).
 */
export function sameDefinition(a: string, b: string, kind: DefinitionKind): boolean {
  if (a === b) return true
  // without the parser only the text can be compared; nothing may be cached from that
  if (!isSqlParserLoaded()) return false
  const left = normalized(a, kind)
  const right = normalized(b, kind)
  return left !== undefined && right !== undefined && isDeepStrictEqual(left, right)
}

function normalized(sql: string, kind: DefinitionKind): unknown {
  const key = `${kind}\u0000${sql}`
  if (cache.has(key)) return cache.get(key)
  let tree: unknown
  try {
    tree = withoutLocations(parseStatement(wrappers[kind](sql)))
  } catch {
    tree = undefined
  }
  // bounded: definitions are compared once per diff; a long-lived process must not grow
  if (cache.size > 50_000) cache.clear()
  cache.set(key, tree)
  return tree
}

/** Whether two syntax trees are equal, source positions aside. */
export function sameTree(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(withoutLocations(a), withoutLocations(b))
}

function withoutLocations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLocations)
  if (node === null || typeof node !== 'object') return node
  const copy: AstNode = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'location' || key === 'stmt_location' || key === 'stmt_len') continue
    copy[key] = withoutLocations(value)
  }
  return copy
}
