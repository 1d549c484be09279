export type * from './model/schema-model.js'
export { functionId, objectId, objectKindOf } from './model/object-id.js'
export type { ObjectKind } from './model/object-id.js'
export { quoteIdentifier, quoteLiteral, quoteQualifiedName } from './sql/quote-identifier.js'
