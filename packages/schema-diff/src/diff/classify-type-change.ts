// What ALTER COLUMN ... TYPE costs and risks, judged from the two format_type() strings alone.
// The rules follow PostgreSQL's own: a change is free (no rewrite) when the old type is binary
// coercible to the new one and no length or precision has to be checked (varchar(10) →
// varchar(20) or text, numeric(10,2) → numeric(12,2), timestamp(3) → timestamp); anything not
// known here is assumed to rewrite, to need an explicit cast and to possibly fail.

/** The verdict on one column type change. */
export interface TypeChange {
  /** PostgreSQL rewrites the table and its indexes. */
  readonly rewrites: boolean
  /** Why existing values may fail to convert or lose information, or null. */
  readonly unsafe: string | null
  /**
   * No assignment cast exists, so ALTER ... TYPE needs `USING column::type`. Never set for a
   * string target: an explicit cast to varchar(n) truncates silently where the assignment cast
   * fails loudly.
   */
  readonly needsUsing: boolean
}

interface ParsedType {
  /** The type name without modifiers: `character varying`, `timestamp with time zone`. */
  readonly base: string
  readonly modifiers: readonly number[] | null
  readonly arrayDimensions: number
}

const INTEGER_WIDTH: Readonly<Record<string, number>> = { smallint: 2, integer: 4, bigint: 8 }
// Decimal digits an integer type can hold, to see whether a numeric(p,s) target can take it.
const INTEGER_DIGITS: Readonly<Record<string, number>> = { smallint: 5, integer: 10, bigint: 19 }
const FLOAT_WIDTH: Readonly<Record<string, number>> = { real: 4, 'double precision': 8 }
const STRINGS = new Set(['text', 'character varying', 'character', 'name', 'citext'])
const TIME_FAMILIES = new Set([
  'timestamp without time zone',
  'timestamp with time zone',
  'time without time zone',
  'time with time zone',
  'interval',
])

const FREE: TypeChange = { rewrites: false, unsafe: null, needsUsing: false }

/** Classifies changing a column from type `from` to type `to` (format_type output). */
export function classifyTypeChange(from: string, to: string): TypeChange {
  if (from === to) return FREE
  const old = parseType(from)
  const next = parseType(to)
  if (old.arrayDimensions !== next.arrayDimensions) return unknown(from, to)
  return classifyScalar(old, next, from, to)
}

function classifyScalar(old: ParsedType, next: ParsedType, from: string, to: string): TypeChange {
  if (STRINGS.has(next.base)) return toString(old, next, to)
  if (old.base === next.base) return sameBase(old, next, from, to)

  const oldInt = INTEGER_WIDTH[old.base]
  const nextInt = INTEGER_WIDTH[next.base]
  if (oldInt !== undefined && nextInt !== undefined) {
    return oldInt < nextInt
      ? { rewrites: true, unsafe: null, needsUsing: false }
      : { rewrites: true, unsafe: `values outside the range of ${to} fail`, needsUsing: false }
  }
  if (oldInt !== undefined && next.base === 'numeric') {
    const [precision, scale = 0] = next.modifiers ?? []
    const fits = precision === undefined || precision - scale >= (INTEGER_DIGITS[old.base] ?? 19)
    const unsafe = fits ? null : `values outside the range of ${to} fail`
    return { rewrites: true, unsafe, needsUsing: false }
  }
  const nextFloat = FLOAT_WIDTH[next.base]
  if (nextFloat !== undefined && (oldInt !== undefined || old.base === 'numeric')) {
    const exact = oldInt !== undefined && oldInt < nextFloat
    return {
      rewrites: true,
      unsafe: exact ? null : `${to} keeps fewer significant digits than ${from}`,
      needsUsing: false,
    }
  }
  const oldFloat = FLOAT_WIDTH[old.base]
  if (oldFloat !== undefined && nextFloat !== undefined) {
    return oldFloat < nextFloat
      ? { rewrites: true, unsafe: null, needsUsing: false }
      : { rewrites: true, unsafe: `${to} keeps fewer significant digits than ${from}`, needsUsing: false }
  }
  if ((oldFloat !== undefined || old.base === 'numeric') && nextInt !== undefined) {
    const unsafe = `fractions are rounded and values outside ${to} fail`
    return { rewrites: true, unsafe, needsUsing: false }
  }
  if (oldFloat !== undefined && next.base === 'numeric') {
    return { rewrites: true, unsafe: `values that do not fit ${to} fail`, needsUsing: false }
  }
  if (isTimestamp(old.base) && isTimestamp(next.base)) {
    return {
      rewrites: true,
      unsafe: `values are converted in the session's TimeZone (${from} → ${to})`,
      needsUsing: false,
    }
  }
  if (old.base === 'date' && isTimestamp(next.base)) {
    return { rewrites: true, unsafe: null, needsUsing: false }
  }
  if (isTimestamp(old.base) && next.base === 'date') {
    return { rewrites: true, unsafe: 'the time of day is lost', needsUsing: false }
  }
  if (
    (old.base === 'json' && next.base === 'jsonb') ||
    (old.base === 'jsonb' && next.base === 'json')
  ) {
    return {
      rewrites: true,
      unsafe: old.base === 'json' ? 'jsonb drops duplicate keys and whitespace' : null,
      // json → jsonb has an assignment cast; the way back only an explicit one.
      needsUsing: old.base === 'jsonb',
    }
  }
  return unknown(from, to)
}

function toString(old: ParsedType, next: ParsedType, to: string): TypeChange {
  const limit = next.modifiers?.[0]
  if (next.base === 'character') {
    const wasShorter = old.base === 'character' && (old.modifiers?.[0] ?? 1) <= (limit ?? 0)
    const unsafe = limit !== undefined && !wasShorter ? `values longer than ${to} allows fail` : null
    return { rewrites: true, unsafe, needsUsing: false }
  }
  const fromString = old.base === 'text' || old.base === 'character varying'
  if (fromString && (next.base === 'text' || next.base === 'character varying')) {
    const oldLimit = old.base === 'character varying' ? old.modifiers?.[0] : undefined
    if (limit === undefined || (oldLimit !== undefined && oldLimit <= limit)) return FREE
    return { rewrites: true, unsafe: `values longer than ${limit} characters fail`, needsUsing: false }
  }
  // Every type has an assignment cast to the string types through its output function.
  return {
    rewrites: true,
    unsafe: limit === undefined ? null : `values longer than ${limit} characters fail`,
    needsUsing: false,
  }
}

function sameBase(old: ParsedType, next: ParsedType, from: string, to: string): TypeChange {
  if (old.base === 'numeric') {
    const [oldPrecision, oldScale = 0] = old.modifiers ?? []
    const [nextPrecision, nextScale = 0] = next.modifiers ?? []
    if (nextPrecision === undefined) return FREE
    if (oldPrecision === undefined) {
      const unsafe = `values that do not fit ${to} fail or are rounded`
      return { rewrites: true, unsafe, needsUsing: false }
    }
    if (oldScale === nextScale && oldPrecision <= nextPrecision) return FREE
    const overflows = nextPrecision - nextScale < oldPrecision - oldScale
    const rounds = nextScale < oldScale
    return {
      rewrites: true,
      unsafe:
        overflows || rounds
          ? [overflows ? `values that do not fit ${to} fail` : '', rounds ? 'fractions are rounded' : '']
              .filter((part) => part !== '')
              .join(', ')
          : null,
      needsUsing: false,
    }
  }
  if (TIME_FAMILIES.has(old.base) || old.base === 'bit varying') {
    const oldPrecision = old.modifiers?.[0]
    const nextPrecision = next.modifiers?.[0]
    if (nextPrecision === undefined || (oldPrecision !== undefined && oldPrecision <= nextPrecision)) {
      return FREE
    }
    return { rewrites: true, unsafe: `${from} → ${to} rounds or truncates values`, needsUsing: false }
  }
  return unknown(from, to)
}

function unknown(from: string, to: string): TypeChange {
  const unsafe = `values of ${from} that do not convert to ${to} fail`
  return { rewrites: true, unsafe, needsUsing: true }
}

function isTimestamp(base: string): boolean {
  return base === 'timestamp without time zone' || base === 'timestamp with time zone'
}

/** Splits `timestamp(3) with time zone[]` into base, modifiers and array dimensions. */
function parseType(type: string): ParsedType {
  let rest = type.trim()
  let arrayDimensions = 0
  while (rest.endsWith('[]')) {
    arrayDimensions++
    rest = rest.slice(0, -2)
  }
  let modifiers: number[] | null = null
  const match = /\((\d+(?:\s*,\s*-?\d+)*)\)/.exec(rest)
  // Only modifiers of built-in types are understood; a quoted or qualified name is left alone.
  if (match && !rest.includes('"') && !rest.includes('.')) {
    modifiers = match[1]!.split(',').map((part) => Number(part.trim()))
    rest = `${rest.slice(0, match.index)}${rest.slice(match.index + match[0].length)}`
  }
  return { base: rest.replace(/\s+/g, ' ').trim(), modifiers, arrayDimensions }
}
