import { loadModule, parseSync, scanSync } from 'libpg-query'
import { deparseSync } from 'pgsql-deparser'

/** A node of libpg-query's JSON syntax tree: `{ NodeType: { ...fields } }`. */
export type AstNode = Record<string, unknown>

let loading: Promise<void> | undefined
let loaded = false

/** Loads PostgreSQL's parser (WebAssembly) once; everything that parses SQL here needs it. */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    loaded = true
  })
  return loading
}

/** Whether {@link loadSqlParser} has finished, so that parsing can run synchronously. */
export function isSqlParserLoaded(): boolean {
  return loaded
}

/** The syntax tree of a single SQL statement. */
export function parseStatement(sql: string): AstNode {
  const statements = parseSync(sql).stmts ?? []
  const statement = statements[0]?.stmt as AstNode | undefined
  if (statements.length !== 1 || statement === undefined) {
    throw new Error(`expected one SQL statement, found ${statements.length}`)
  }
  return statement
}

/** SQL text of a syntax tree node, on one line. */
export function deparse(node: AstNode): string {
  return deparseSync(node as never, { pretty: false })
}

/** The lexical tokens of a SQL fragment, with byte offsets. */
export function scanTokens(sql: string): readonly ScannedToken[] {
  return scanSync(sql).tokens as unknown as ScannedToken[]
}

/** One token of {@link scanTokens}. */
export interface ScannedToken {
  /** Byte offsets into the UTF-8 text. */
  readonly start: number
  readonly end: number
  readonly text: string
  /** `IDENT` for identifiers, `UNKNOWN` for most punctuation and keywords. */
  readonly tokenName: string
  /** `NO_KEYWORD`, `UNRESERVED_KEYWORD`, `COL_NAME_KEYWORD`, ... */
  readonly keywordName: string
}
