import type { PrecheckFinding } from '../precheck/index.js'

/** Prechecks found errors (or warnings, without `--ignore-warnings`): nothing was changed. */
export class PrecheckBlockedError extends Error {
  readonly code = 'PRECHECK_BLOCKED'

  constructor(readonly blocking: readonly PrecheckFinding[]) {
    const errors = blocking.filter((finding) => finding.severity === 'error').length
    const warnings = blocking.length - errors
    super(
      errors > 0
        ? `prechecks found ${errors} error${errors === 1 ? '' : 's'}: nothing was changed; fix them and re-run`
        : `prechecks found ${warnings} warning${warnings === 1 ? '' : 's'}: nothing was changed; ` +
            'fix them, or accept them with --ignore-warnings',
    )
    this.name = 'PrecheckBlockedError'
  }
}

/** The spec asks for something this version of pgshift cannot do yet; nothing was changed. */
export class NotAvailableError extends Error {
  readonly code = 'NOT_AVAILABLE'

  constructor(message: string) {
    super(message)
    this.name = 'NotAvailableError'
  }
}

/** Another `apply` of the same migration holds the destination's lock. */
export class ApplyLockedError extends Error {
  readonly code = 'APPLY_LOCKED'

  constructor(migration: string) {
    super(
      `another pgshift apply of migration ${migration} is running against this destination; ` +
        'wait for it to finish, or stop it (re-running resumes where it stopped)',
    )
    this.name = 'ApplyLockedError'
  }
}

/** The databases or the spec changed since the reviewed plan was made: nothing was changed. */
export class PlanDriftError extends Error {
  readonly code = 'PLAN_DRIFT'

  constructor(readonly changes: readonly string[]) {
    const shown = changes.slice(0, 20).map((change) => `  - ${change}`)
    const more = changes.length > shown.length ? [`  ... and ${changes.length - shown.length} more`] : []
    super(
      [
        'the databases or the spec changed since the plan was made; nothing was changed. ' +
          'Plan again and review the new plan:',
        ...shown,
        ...more,
      ].join('\n'),
    )
    this.name = 'PlanDriftError'
  }
}
