import { quoteIdentifier } from '../sql/quote-identifier.js'
import type { ObjectId } from './schema-model.js'

/** The kinds of top-level objects an {@link ObjectId} can name. */
export type ObjectKind =
  | 'schema'
  | 'extension'
  | 'collation'
  | 'type'
  | 'sequence'
  | 'table'
  | 'view'
  | 'function'

/**
 * `kind:schema.name` (or `kind:name` for schemas and extensions), each name quoted as SQL would
 * quote it, so that `"a.b".c` and `a."b.c"` stay apart.
 */
export function objectId(kind: ObjectKind, schema: string | null, name: string): ObjectId {
  const qualified =
    schema === null ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`
  return `${kind}:${qualified}`
}

/** `function:schema.name(identity arguments)`. */
export function functionId(schema: string, name: string, identityArguments: string): ObjectId {
  return `${objectId('function', schema, name)}(${identityArguments})`
}

/** The kind named by an id. */
export function objectKindOf(id: ObjectId): ObjectKind {
  return id.slice(0, id.indexOf(':')) as ObjectKind
}
