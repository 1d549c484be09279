export { ApplyLockedError, NotAvailableError, PlanDriftError, PrecheckBlockedError } from './apply-errors.js'
export type { ApplyEvent, ApplyEventListener, ApplyStep } from './apply-event.js'
export { runApply } from './run-apply.js'
export type { ApplyResult, RunApplyOptions } from './run-apply.js'
