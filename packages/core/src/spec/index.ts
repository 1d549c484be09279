export { ConnectionUrl } from './connection-url.js'
export { formatSpecPath } from './format-spec-path.js'
export type { SpecPath } from './format-spec-path.js'
export { interpolateString } from './interpolate-env.js'
export type { InterpolatedString, SpecEnv } from './interpolate-env.js'
export { loadSpecFile, loadSpecText } from './load-spec.js'
export type { LoadSpecOptions, LoadSpecResult } from './load-spec.js'
export { checkGlob, globToRegExp, matchGlob } from './match-glob.js'
export { MIGRATION_TYPES, ROW_OPERATIONS } from './migration-spec.js'
export type {
  AlertOptions,
  ColumnMapping,
  ConflictMode,
  Endpoint,
  MigrationOptions,
  MigrationSpec,
  MigrationType,
  ParallelOptions,
  RetryOptions,
  RowOperation,
  SchemaSelection,
  SpecMetadata,
  TableSelection,
  Throttle,
  ValidateMode,
} from './migration-spec.js'
export { SPEC_DEFAULTS } from './normalize-spec.js'
export { DURATION_EXAMPLES, DURATION_PATTERN, parseDuration } from './parse-duration.js'
export { parseSize, SIZE_EXAMPLES, SIZE_PATTERN } from './parse-size.js'
export { redactSecrets, SECRET_MASK, specSecrets } from './redact-secrets.js'
export type { Secret } from './redact-secrets.js'
export { formatProblem } from './spec-problem.js'
export type { SpecProblem, SpecProblemCode } from './spec-problem.js'
export { readSpecSchema, SPEC_SCHEMA_PATH } from './validate-spec-schema.js'
export { loadSqlParser, validateWhereFilter } from './validate-where-filter.js'
export type { WhereFilterResult } from './validate-where-filter.js'
export { WebhookUrl } from './webhook-url.js'
