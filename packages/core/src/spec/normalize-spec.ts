import type { ConnectionUrl } from './connection-url.js'
import { MIGRATION_TYPES, ROW_OPERATIONS } from './migration-spec.js'
import type {
  ConflictMode,
  MigrationSpec,
  MigrationType,
  RowOperation,
  SchemaSelection,
  TableSelection,
  Throttle,
  ValidateMode,
} from './migration-spec.js'
import { parseDuration } from './parse-duration.js'
import { parseSize } from './parse-size.js'
import type { WhereFilterResult } from './validate-where-filter.js'
import type { WebhookUrl } from './webhook-url.js'

/** The defaults the schema documents, as the normalised spec holds them. */
export const SPEC_DEFAULTS = {
  types: ['schema', 'full'] as readonly MigrationType[],
  conflicts: 'fail' as ConflictMode,
  parallelTables: 4,
  splitLargerThan: '256MiB',
  throttle: { rowsPerSecond: 0, bytesPerSecond: 0 },
  retryConnection: '12h',
  retryOther: '10m',
  ddl: false,
  validate: 'checksum' as ValidateMode,
  webhook: '',
  operations: ROW_OPERATIONS as readonly RowOperation[],
} as const

/** What normalisation needs besides the validated data. */
export interface NormalizeInput {
  readonly sourceFile: string
  readonly source: ConnectionUrl
  readonly destination: ConnectionUrl
  readonly webhook: WebhookUrl | null
  readonly whereFilters: ReadonlyMap<object, WhereFilterResult>
}

// the shape the JSON Schema guarantees once validation passed
interface RawSpec {
  metadata: { name: string; description?: string }
  types?: MigrationType[]
  conflicts?: ConflictMode
  objects?: RawSchema[]
  options?: {
    parallel?: { tables?: number; splitLargerThan?: number | string }
    throttle?: { full?: RawThrottle; incremental?: RawThrottle }
    retry?: { connection?: string; other?: string }
    ddl?: boolean
    validate?: ValidateMode
    alerts?: { maxLagSeconds?: number }
  }
}
interface RawSchema {
  schema: string
  rename?: string
  exclude?: string[]
  tables?: RawTable[]
}
interface RawTable {
  name: string
  rename?: string
  where?: string
  columns?: { exclude?: string[]; rename?: Record<string, string> }
  operations?: RowOperation[]
}
interface RawThrottle {
  rowsPerSecond?: number
  bytesPerSecond?: number | string
}

/**
 * The typed, normalised spec from data that passed every check: defaults applied, durations in
 * milliseconds, sizes in bytes, sets in canonical order, where filters canonicalised.
 */
export function normalizeSpec(data: unknown, input: NormalizeInput): MigrationSpec {
  const raw = data as RawSpec
  const options = raw.options ?? {}
  const parallel = options.parallel ?? {}
  const retry = options.retry ?? {}
  return {
    apiVersion: 'pgshift/v1',
    kind: 'Migration',
    sourceFile: input.sourceFile,
    metadata: { name: raw.metadata.name, description: raw.metadata.description ?? null },
    source: { url: input.source },
    destination: { url: input.destination },
    types: inOrder(raw.types ?? SPEC_DEFAULTS.types, MIGRATION_TYPES),
    conflicts: raw.conflicts ?? SPEC_DEFAULTS.conflicts,
    objects: raw.objects?.map((schema) => normalizeSchema(schema, input.whereFilters)) ?? null,
    options: {
      parallel: {
        tables: parallel.tables ?? SPEC_DEFAULTS.parallelTables,
        splitLargerThanBytes: bytes(parallel.splitLargerThan ?? SPEC_DEFAULTS.splitLargerThan),
      },
      throttle: {
        full: normalizeThrottle(options.throttle?.full),
        incremental: normalizeThrottle(options.throttle?.incremental),
      },
      retry: {
        connectionMs: milliseconds(retry.connection ?? SPEC_DEFAULTS.retryConnection),
        otherMs: milliseconds(retry.other ?? SPEC_DEFAULTS.retryOther),
      },
      ddl: options.ddl ?? SPEC_DEFAULTS.ddl,
      validate: options.validate ?? SPEC_DEFAULTS.validate,
      alerts: {
        maxLagSeconds: options.alerts?.maxLagSeconds ?? null,
        webhook: input.webhook,
      },
    },
  }
}

function normalizeSchema(
  schema: RawSchema,
  whereFilters: ReadonlyMap<object, WhereFilterResult>,
): SchemaSelection {
  return {
    schema: schema.schema,
    destinationSchema: schema.rename ?? schema.schema,
    exclude: schema.exclude ?? [],
    tables: schema.tables?.map((table) => normalizeTable(table, whereFilters)) ?? null,
  }
}

function normalizeTable(
  table: RawTable,
  whereFilters: ReadonlyMap<object, WhereFilterResult>,
): TableSelection {
  const whereSql = table.where === undefined ? undefined : whereFilters.get(table)?.sql
  if (table.where !== undefined && whereSql === undefined) {
    throw new Error(`row filter of table ${table.name} was not validated`)
  }
  return {
    name: table.name,
    destinationName: table.rename ?? table.name,
    where: table.where ?? null,
    whereSql: whereSql ?? null,
    columns: {
      exclude: table.columns?.exclude ?? [],
      rename: { ...table.columns?.rename },
    },
    operations: inOrder(table.operations ?? SPEC_DEFAULTS.operations, ROW_OPERATIONS),
  }
}

function normalizeThrottle(throttle: RawThrottle | undefined): Throttle {
  return {
    rowsPerSecond: throttle?.rowsPerSecond ?? SPEC_DEFAULTS.throttle.rowsPerSecond,
    bytesPerSecond: bytes(throttle?.bytesPerSecond ?? SPEC_DEFAULTS.throttle.bytesPerSecond),
  }
}

function inOrder<T extends string>(values: readonly T[], order: readonly T[]): readonly T[] {
  return order.filter((value) => values.includes(value))
}

// validation already proved these parse; a failure here is a bug, not a user error
function bytes(value: number | string): number {
  const parsed = parseSize(value)
  if (parsed === undefined) throw new Error(`size ${String(value)} was not validated`)
  return parsed
}

function milliseconds(value: string): number {
  const parsed = parseDuration(value)
  if (parsed === undefined) throw new Error(`duration ${value} was not validated`)
  return parsed
}
