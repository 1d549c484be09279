/** Where a migration stands, read from the destination's `pgshift` schema. */
export interface MigrationStatus {
  readonly migration: string
  /** False when the destination holds no state of this migration yet. */
  readonly started: boolean
  /** The latest phase that started, or null. */
  readonly currentPhase: string | null
  readonly phases: readonly PhaseStatus[]
  readonly tables: readonly TableProgress[]
  readonly totals: CopyTotals
  /** The change stream, or null before incremental set-up (or without incremental). */
  readonly incremental: IncrementalStatus | null
}

/** The incremental phase as the apply process last recorded it. */
export interface IncrementalStatus {
  /** setup, following, stopped, cut-over or aborted. */
  readonly status: string
  readonly slot: string
  readonly appliedLsn: string
  /** When the last applied source transaction committed on the source. */
  readonly appliedCommitTime: string | null
  readonly sourceLsn: string | null
  readonly lagBytes: number | null
  readonly lagSeconds: number | null
  readonly transactions: number
  readonly changes: number
  /** Seconds since the apply process last reported; a large value means none runs. */
  readonly reportedSecondsAgo: number
  readonly lastError: string | null
  readonly stopRequested: boolean
  readonly tables: readonly {
    readonly tableId: string
    readonly inserts: number
    readonly updates: number
    readonly deletes: number
    readonly truncates: number
  }[]
}

export interface PhaseStatus {
  readonly phase: string
  readonly status: 'running' | 'done' | 'failed'
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly durationMs: number | null
  readonly detail: Readonly<Record<string, unknown>>
  readonly error: string | null
}

/** One destination table's full copy. */
export interface TableProgress {
  readonly table: string
  readonly units: number
  readonly doneUnits: number
  /** Rows and bytes in the destination or on their way (running units' progress included). */
  readonly rows: number
  readonly bytes: number
  readonly estimatedRows: number | null
  readonly estimatedBytes: number | null
  /** Bytes per second over the table's units of the latest attempt, or null. */
  readonly bytesPerSecond: number | null
  /** Seconds until done at that rate, or null when unknown or done. */
  readonly etaSeconds: number | null
  /** Attempts beyond the first, over all units. */
  readonly retries: number
  readonly lastError: string | null
}

export interface CopyTotals {
  readonly units: number
  readonly doneUnits: number
  readonly rows: number
  readonly bytes: number
  readonly estimatedBytes: number | null
  readonly bytesPerSecond: number | null
  readonly etaSeconds: number | null
  readonly retries: number
}
