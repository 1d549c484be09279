import type { Statement } from './row-change.js'

/**
 * A string literal that reads back as `value` whatever `standard_conforming_strings` says: the
 * escape form only when there is a backslash to escape.
 */
export function sqlLiteral(value: string | null): string {
  if (value === null) return 'NULL'
  // PostgreSQL text cannot hold NUL, so a value from the stream never has one
  if (value.includes('\0')) throw new Error('a string literal cannot contain a NUL character')
  const quoted = value.replace(/'/g, "''")
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`
}

/**
 * The statement with its `$n` parameters written in as literals, so several statements can
 * travel in one simple-protocol query (one round trip for a whole batch). Parameters are
 * found only outside quoted identifiers and string literals, the only quoting pgshift's
 * statement builders produce; each keeps its cast (`$1::int4` becomes `'42'::int4`), so the
 * server reads the same text through the same input function as with a bound parameter.
 */
export function inlineStatement(statement: Statement): string {
  const { text, values } = statement
  if (values.length === 0) return text
  let out = ''
  let from = 0
  let i = 0
  while (i < text.length) {
    const char = text[i]
    if (char === '"' || char === "'") {
      // to the closing quote; a doubled quote inside stays inside
      let j = i + 1
      for (;;) {
        j = text.indexOf(char, j)
        if (j === -1) throw new Error(`unterminated ${char} in a statement: ${text.slice(0, 80)}`)
        if (text[j + 1] === char) j += 2
        else break
      }
      i = j + 1
      continue
    }
    if (char === '$') {
      let j = i + 1
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++
      if (j > i + 1) {
        const index = Number(text.slice(i + 1, j)) - 1
        if (index < 0 || index >= values.length) throw new RangeError(`statement parameter $${index + 1} has no value`)
        out += text.slice(from, i) + sqlLiteral(values[index] ?? null)
        from = j
        i = j
        continue
      }
    }
    i++
  }
  return out + text.slice(from)
}
