/** What `cutover` and `abort` report, step by step. */
export type CutoverEvent =
  | { readonly type: 'step-done'; readonly step: string; readonly detail: Readonly<Record<string, unknown>> }
  | { readonly type: 'step-skipped'; readonly step: string; readonly reason: string }
  | { readonly type: 'waiting'; readonly targetLsn: string; readonly appliedLsn: string; readonly lagBytes: number }

export type CutoverEventListener = (event: CutoverEvent) => void
