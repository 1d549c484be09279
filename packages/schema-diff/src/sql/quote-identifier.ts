import { NON_UNRESERVED_KEYWORDS } from './keywords.js'

const BARE_IDENTIFIER = /^[a-z_][a-z0-9_]*$/

/**
 * Quotes an identifier exactly when PostgreSQL's `quote_ident()` would: anything but a
 * lower-case word that is not a reserved keyword is double-quoted, with embedded quotes
 * doubled. Mixed case, spaces, quotes, unicode and keywords all survive a round trip.
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new Error('an identifier cannot be empty')
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL character')
  if (BARE_IDENTIFIER.test(name) && !NON_UNRESERVED_KEYWORDS.has(name)) return name
  return `"${name.replace(/"/g, '""')}"`
}

/** `schema.name`, each part quoted as needed. */
export function quoteQualifiedName(schema: string, name: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`
}

/** A string literal in standard-conforming form; E'' escapes are never needed. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a string literal cannot contain a NUL character')
  return `'${value.replace(/'/g, "''")}'`
}
