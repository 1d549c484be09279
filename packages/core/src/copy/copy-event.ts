/**
 * What the full copy reports while it runs, through the `onEvent` listener. Counts are
 * cumulative for the unit's current attempt; a retried unit starts again from zero.
 */
export type CopyEvent =
  | {
      readonly type: 'unit-started'
      readonly unitId: string
      readonly tableId: string
      /** 1 for the first attempt of this run. */
      readonly attempt: number
    }
  | { readonly type: 'unit-progress'; readonly unitId: string; readonly rows: number; readonly bytes: number }
  | {
      readonly type: 'unit-done'
      readonly unitId: string
      readonly rows: number
      readonly bytes: number
      readonly durationMs: number
    }
  | {
      /** Done by an earlier run (or meanwhile by another process): not copied again. */
      readonly type: 'unit-skipped'
      readonly unitId: string
    }
  | {
      readonly type: 'retry'
      readonly unitId: string
      /** The attempt that failed. */
      readonly attempt: number
      readonly delayMs: number
      readonly kind: 'connection' | 'other'
      /** The failure's message, and its SQLSTATE or errno code when it has one. */
      readonly cause: string
      readonly code: string | null
    }
  | {
      /**
       * The unit's retry budget is spent: it stays undone, the other units go on, and the copy
       * ends with a `FullCopyError` (a re-run resumes it). `cause` and `code` as in `retry`.
       */
      readonly type: 'unit-failed'
      readonly unitId: string
      readonly tableId: string
      /** Attempts made in this run. */
      readonly attempts: number
      readonly kind: 'connection' | 'other'
      readonly cause: string
      readonly code: string | null
    }
  | { readonly type: 'warning'; readonly code: string; readonly message: string }

/** Receives {@link CopyEvent}s; must not throw. */
export type CopyEventListener = (event: CopyEvent) => void
