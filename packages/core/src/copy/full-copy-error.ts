import type { FullCopyResult } from './run-full-copy.js'

/** Some units could not be copied within their retry budget; the rest were. Re-running resumes. */
export class FullCopyError extends Error {
  readonly code = 'FULL_COPY_FAILED'

  constructor(readonly result: FullCopyResult) {
    const failed = result.units.filter((unit) => unit.status === 'failed')
    const first = failed[0]
    const cause = first?.error instanceof Error ? first.error.message : String(first?.error)
    super(
      `copying data: ${failed.length} of ${result.units.length} units failed (re-run to resume); ` +
        `first: ${first?.unitId}: ${cause}`,
      { cause: first?.error },
    )
    this.name = 'FullCopyError'
  }
}
