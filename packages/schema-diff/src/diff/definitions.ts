// Equality of definitions held as SQL text. The destination's come from PostgreSQL itself; the
// source's may have been rewritten by the spec's renames (src/mapping), which parse and deparse
// them, so the same meaning can be spelled differently (`0::numeric` and `(0)::numeric`, other
// line breaks). sameDefinition compares the text first and the syntax trees only when that
// fails; without the SQL parser loaded, unequal texts stay different (as before it existed).

import { sameDefinition } from '../mapping/same-definition.js'

/**
 * pg_get_constraintdef appends NOT VALID to a constraint not validated yet; validity is diffed
 * apart.
 */
export function withoutNotValid(definition: string): string {
  return definition.replace(/\s+NOT VALID$/, '')
}

/** Whether two table or domain constraint definitions are the same constraint, validated or not. */
export function sameConstraintDefinition(a: string, b: string): boolean {
  return sameDefinition(withoutNotValid(a), withoutNotValid(b), 'constraint')
}

/**
 * Whether two optional expressions (column default, generated expression, policy USING / WITH
 * CHECK, domain default, index predicate) say the same; null only equals null.
 */
export function sameExpression(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b
  return sameDefinition(a, b, 'expression')
}

/** Whether two complete statements (view query, function, trigger, index) say the same. */
export function sameStatement(a: string, b: string): boolean {
  return sameDefinition(a, b, 'statement')
}

/** Whether two partition keys (pg_get_partkeydef), or their absence, are the same. */
export function samePartitionKey(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b
  return sameDefinition(a, b, 'partition-key')
}
