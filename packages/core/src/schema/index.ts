export { applySchemaOperations, SchemaApplyError } from './apply-schema-operations.js'
export type { ApplySchemaOptions } from './apply-schema-operations.js'
export { diffDatabases } from './diff-databases.js'
export type { DatabaseDiff, SchemaFilter } from './diff-databases.js'
