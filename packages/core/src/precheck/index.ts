export { collectFidelityNotes } from './collect-fidelity-notes.js'
export { createPrecheckContext, PRECHECK_DEFAULTS } from './precheck-context.js'
export type {
  CreatePrecheckContextInput,
  Precheck,
  PrecheckContext,
  PrecheckOptions,
  ResolvedPrecheckOptions,
} from './precheck-context.js'
export { compareFindings } from './precheck-finding.js'
export type {
  FidelityCode,
  FidelityNote,
  PrecheckCode,
  PrecheckFinding,
  PrecheckSeverity,
} from './precheck-finding.js'
export { PRECHECKS, runPrechecks } from './run-prechecks.js'
export { assessServerVersions } from './checks/check-server-version.js'
export { assessWalRetention } from './checks/check-wal-retention.js'
export type { WalRetentionInput } from './checks/check-wal-retention.js'
