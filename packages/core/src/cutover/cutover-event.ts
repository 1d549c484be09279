/** What `cutover` and `abort` report, step by step. */
export type CutoverEvent =
  | { readonly type: 'step-done'; readonly step: string; readonly detail: Readonly<Record<string, unknown>> }
  | { readonly type: 'step-skipped'; readonly step: string; readonly reason: string }
  | { readonly type: 'waiting'; readonly targetLsn: string; readonly appliedLsn: string; readonly lagBytes: number }

export type CutoverEventListener = (event: CutoverEvent) => void

/** Wraps a listener so that its failure cannot break the cutover or abort reporting to it. */
export function guardedListener(listener: CutoverEventListener | undefined): CutoverEventListener {
  return (event) => {
    try {
      listener?.(event)
    } catch {
      // listeners must not break the steps they observe
    }
  }
}
