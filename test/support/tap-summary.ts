/** The counters node:test's TAP reporter prints at the end of a run. */
export interface TapSummary {
  tests: number
  pass: number
  fail: number
  cancelled: number
  skipped: number
  todo: number
}

const COUNTERS = ['tests', 'pass', 'fail', 'cancelled', 'skipped', 'todo'] as const

/**
 * Read the final `# pass N` / `# fail N` / ... lines of a TAP report. Returns undefined
 * unless at least `# pass` and `# fail` are present, so a truncated report (a crashed
 * runner) is never mistaken for a clean one. The last occurrence of each counter wins:
 * subtests print their own `# Subtest:` lines but only the run prints the totals, at the end.
 */
export function parseTapSummary(tap: string): TapSummary | undefined {
  const found: Partial<Record<(typeof COUNTERS)[number], number>> = {}
  for (const line of tap.split('\n')) {
    const match = /^# (tests|pass|fail|cancelled|skipped|todo) (\d+)\s*$/.exec(line)
    if (match?.[1] && match[2]) found[match[1] as (typeof COUNTERS)[number]] = Number.parseInt(match[2], 10)
  }
  if (found.pass === undefined || found.fail === undefined) return undefined
  return {
    tests: found.tests ?? found.pass + found.fail,
    pass: found.pass,
    fail: found.fail,
    cancelled: found.cancelled ?? 0,
    skipped: found.skipped ?? 0,
    todo: found.todo ?? 0,
  }
}

/** The line CI reads: `N passed, M failed` plus `, K skipped` when some were (todo counts as skipped). */
export function summaryLine(passed: number, failed: number, skipped = 0): string {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`
}
