import { quoteIdentifier } from '../sql/quote-identifier.js'
import type { NameRenamer } from './name-renamer.js'
import { scanTokens } from './sql-parser.js'

/**
 * Renames the schema (and a renamed table's row type) in text that PostgreSQL prints as a list
 * of qualified names: `sales.mood[]`, `a sales.mood, b integer` (identity arguments),
 * `SETOF sales.orders`. Such text holds no literals or aliases, so a token-level rewrite keeps
 * PostgreSQL's own spelling of everything else, which object ids must match exactly.
 */
export function renameTypeText(text: string, renamer: NameRenamer): string {
  // the scanner fails on empty input (a function without arguments)
  if (text.trim() === '') return text
  const bytes = Buffer.from(text, 'utf8')
  const tokens = scanTokens(text)
  const edits: { start: number; end: number; text: string }[] = []
  for (let index = 0; index + 2 < tokens.length; index += 1) {
    const schemaToken = tokens[index]
    const dot = tokens[index + 1]
    const nameToken = tokens[index + 2]
    if (schemaToken === undefined || dot === undefined || nameToken === undefined) continue
    if (dot.text !== '.' || (index > 0 && tokens[index - 1]?.text === '.')) continue
    const schema = identifierValue(schemaToken.text)
    const name = identifierValue(nameToken.text)
    const renamedSchema = renamer.schema(schema)
    const table = renamer.resolve(schema, name)
    const renamedName = table === undefined ? name : renamer.relationName(table)
    if (renamedSchema !== schema) {
      edits.push({ start: schemaToken.start, end: schemaToken.end, text: quoteIdentifier(renamedSchema) })
    }
    if (renamedName !== name) {
      edits.push({ start: nameToken.start, end: nameToken.end, text: quoteIdentifier(renamedName) })
    }
  }
  if (edits.length === 0) return text
  const parts: Buffer[] = []
  let position = 0
  for (const edit of edits) {
    parts.push(bytes.subarray(position, edit.start), Buffer.from(edit.text, 'utf8'))
    position = edit.end
  }
  parts.push(bytes.subarray(position))
  return Buffer.concat(parts).toString('utf8')
}

// Quoted identifiers keep their case and undouble their quotes; bare ones fold to lower case.
function identifierValue(token: string): string {
  if (token.startsWith('"')) return token.slice(1, -1).replace(/""/g, '"')
  return token.toLowerCase()
}
