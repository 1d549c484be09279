import type { Operation, SqlStatement } from '@pgshift/schema-diff'
import type { CopyEvent, CopyPlan } from '../copy/index.js'
import type { IncrementalEvent } from '../incremental/incremental-event.js'
import type { PrecheckFinding } from '../precheck/index.js'
import type { SyncedSequence } from '../sequences/index.js'
import type { PhaseName } from '../state/index.js'

/** The steps `apply` reports: prechecks, then the engine's phases. */
export type ApplyStep = 'precheck' | PhaseName

/**
 * What `apply` reports while it runs, through its `onEvent` listener: plain data, so the CLI
 * can print it as text, progress bars or JSON lines.
 */
export type ApplyEvent =
  | { readonly type: 'step-started'; readonly step: ApplyStep }
  | {
      readonly type: 'step-done'
      readonly step: ApplyStep
      /** What the step did, in figures (statements, rows, bytes, sequences). */
      readonly detail: Readonly<Record<string, number>>
      readonly durationMs: number
    }
  | { readonly type: 'step-skipped'; readonly step: ApplyStep; readonly reason: string }
  | { readonly type: 'findings'; readonly findings: readonly PrecheckFinding[] }
  /** Something the plan would show: scope, mapping and kept-object notes. */
  | { readonly type: 'note'; readonly code: string; readonly message: string }
  | { readonly type: 'statement'; readonly step: ApplyStep; readonly operation: Operation; readonly statement: SqlStatement }
  | { readonly type: 'copy-plan'; readonly plan: CopyPlan }
  | { readonly type: 'copy'; readonly event: CopyEvent }
  | { readonly type: 'sequence'; readonly sequence: SyncedSequence }
  | { readonly type: 'incremental'; readonly event: IncrementalEvent }
  /** A dry run's statement: printed, never executed. */
  | { readonly type: 'dry-run'; readonly step: ApplyStep; readonly sql: string }

/** Receives {@link ApplyEvent}s; must not throw. */
export type ApplyEventListener = (event: ApplyEvent) => void
