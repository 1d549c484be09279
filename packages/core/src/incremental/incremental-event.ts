/** Change counts of one table in an applied batch. */
export interface TableBatchCounts {
  /** The source table's object id (`table:public.orders`). */
  readonly tableId: string
  readonly inserts: number
  readonly updates: number
  readonly deletes: number
  readonly truncates: number
}

/**
 * What the incremental phase reports through `apply`'s listener (as `{ type: 'incremental',
 * event }`): plain data for progress output, JSON logs, metrics and alerts.
 */
export type IncrementalEvent =
  /** The stream (re)started from `startLsn` (the last applied commit's end). */
  | {
      readonly type: 'streaming'
      readonly slot: string
      readonly startLsn: string
      readonly protocolVersion: 1 | 2
    }
  /** Whole source transactions committed on the destination together with their position. */
  | {
      readonly type: 'batch-applied'
      readonly endLsn: string
      readonly transactions: number
      readonly changes: number
      readonly tables: readonly TableBatchCounts[]
      readonly durationMs: number
    }
  /** A lag measurement (every few seconds). */
  | {
      readonly type: 'lag'
      readonly appliedLsn: string
      readonly sourceLsn: string
      readonly lagBytes: number
      readonly lagSeconds: number
    }
  /** Lag fell under the `--until caught-up` threshold. */
  | { readonly type: 'caught-up'; readonly lagBytes: number; readonly lagSeconds: number }
  /** A captured DDL statement was replayed on the destination (options.ddl). */
  | { readonly type: 'ddl'; readonly sourceStatement: string; readonly statements: readonly string[] }
  /** A connection or apply failure that will be retried after `delayMs`. */
  | {
      readonly type: 'retry'
      readonly side: 'source' | 'destination'
      readonly attempt: number
      readonly delayMs: number
      readonly error: string
    }
  /** Following ended cleanly; the migration resumes from its stored position. */
  | { readonly type: 'stopped'; readonly reason: 'caught-up' | 'stop-requested' | 'signal' }

/** Receives {@link IncrementalEvent}s; must not throw. */
export type IncrementalEventListener = (event: IncrementalEvent) => void
