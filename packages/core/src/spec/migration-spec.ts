import type { ConnectionUrl } from './connection-url.js'
import type { WebhookUrl } from './webhook-url.js'

/** What a migration moves; `types` lists them in this canonical order. */
export const MIGRATION_TYPES = ['schema', 'full', 'incremental'] as const
/** One kind of migration work. */
export type MigrationType = (typeof MIGRATION_TYPES)[number]

/** Row changes that incremental migration can replicate, in canonical order. */
export const ROW_OPERATIONS = ['insert', 'update', 'delete', 'truncate'] as const
/** One kind of row change. */
export type RowOperation = (typeof ROW_OPERATIONS)[number]

/** What to do when destination tables already exist. */
export type ConflictMode = 'fail' | 'ignore'

/** How source and destination data are compared. */
export type ValidateMode = 'none' | 'count' | 'checksum'

/**
 * A loaded, validated and normalised migration spec: defaults applied, durations in
 * milliseconds, sizes in bytes, where filters canonicalised, connection URLs kept secret.
 */
export interface MigrationSpec {
  readonly apiVersion: 'pgshift/v1'
  readonly kind: 'Migration'
  /** The file the spec was loaded from, as given to the loader. */
  readonly sourceFile: string
  readonly metadata: SpecMetadata
  readonly source: Endpoint
  readonly destination: Endpoint
  /** A non-empty set, in the order of {@link MIGRATION_TYPES}. */
  readonly types: readonly MigrationType[]
  readonly conflicts: ConflictMode
  /** The selected schemas; `null` means the whole database. */
  readonly objects: readonly SchemaSelection[] | null
  readonly options: MigrationOptions
}

/** Identity of a migration. */
export interface SpecMetadata {
  /** Names the replication slot, publication and state rows; `[a-z][a-z0-9_-]*`, at most 40. */
  readonly name: string
  readonly description: string | null
}

/** One side of the migration. */
export interface Endpoint {
  readonly url: ConnectionUrl
}

/** One source schema and how it lands in the destination. */
export interface SchemaSelection {
  /** The source schema name, exactly as in the catalog. */
  readonly schema: string
  /** The destination schema name: the rename, or the source name. */
  readonly destinationSchema: string
  /** Name globs (`*`, `?`) of objects of the schema to leave out. */
  readonly exclude: readonly string[]
  /** Only these tables; `null` means every object of the schema. */
  readonly tables: readonly TableSelection[] | null
}

/** One source table and how it lands in the destination. */
export interface TableSelection {
  /** The source table name. */
  readonly name: string
  /** The destination table name: the rename, or the source name. */
  readonly destinationName: string
  /** The row filter as the user wrote it (after `${VAR}` substitution); `null` for all rows. */
  readonly where: string | null
  /** The row filter as canonical SQL from the parsed expression; embed this, never `where`. */
  readonly whereSql: string | null
  readonly columns: ColumnMapping
  /** The row changes incremental migration replicates, in the order of {@link ROW_OPERATIONS}. */
  readonly operations: readonly RowOperation[]
}

/** Column changes between a source table and its destination. */
export interface ColumnMapping {
  /** Source columns that are not copied. */
  readonly exclude: readonly string[]
  /** Source column name → destination column name. */
  readonly rename: Readonly<Record<string, string>>
}

/** How the migration runs. */
export interface MigrationOptions {
  readonly parallel: ParallelOptions
  readonly throttle: { readonly full: Throttle; readonly incremental: Throttle }
  readonly retry: RetryOptions
  readonly ddl: boolean
  readonly validate: ValidateMode
  readonly alerts: AlertOptions
}

/** Copy parallelism. */
export interface ParallelOptions {
  /** Tables (or chunks) copied at once, 1 to 64. */
  readonly tables: number
  /** Tables larger than this many bytes are split into chunks. */
  readonly splitLargerThanBytes: number
}

/** Rate limits; 0 means unlimited. */
export interface Throttle {
  readonly rowsPerSecond: number
  readonly bytesPerSecond: number
}

/** How long transient failures are retried. */
export interface RetryOptions {
  readonly connectionMs: number
  readonly otherMs: number
}

/** Alerting while the migration runs. */
export interface AlertOptions {
  /** Alert when replication lags more than this many seconds; `null` for no lag alert. */
  readonly maxLagSeconds: number | null
  /** Where alerts are posted; `null` for no webhook. */
  readonly webhook: WebhookUrl | null
}
