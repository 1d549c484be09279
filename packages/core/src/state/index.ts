export { ensureStateSchema, STATE_SCHEMA_VERSION } from './state-schema.js'
export {
  lockCopyUnit,
  markCopyUnitDone,
  readCopyUnits,
  recordCopyProgress,
  recordCopyUnitAttempt,
  recordCopyUnitError,
  registerCopyUnits,
  resetCopyUnits,
} from './copy-checkpoints.js'
export type {
  CopyUnitCompletion,
  CopyUnitProgress,
  CopyUnitRecord,
  CopyUnitRegistration,
  CopyUnitStatus,
} from './copy-checkpoints.js'
export { finishRun, startRun } from './run-records.js'
export type { RunStart } from './run-records.js'
export { readOwnedObjects, recordOwnedObjects } from './owned-objects.js'
export { finishPhase, PHASES, readPhases, startPhase } from './phase-records.js'
export type { PhaseName, PhaseRecord } from './phase-records.js'
export {
  clearReplicationStop,
  readCutoverSteps,
  readReplication,
  recordDdlScope,
  readReplicationTables,
  recordAppliedBatch,
  recordCutoverStep,
  recordReplicaIdentityChanges,
  recordReplicationProgress,
  registerReplication,
  requestReplicationStop,
  setReplicationStatus,
} from './replication-records.js'
export type {
  ReplicaIdentityChange,
  ReplicationProgress,
  ReplicationRecord,
  ReplicationStatus,
  TableChangeCounts,
} from './replication-records.js'
export { HOLD_CHANNEL, readHeld, readHold, recordHeld, releaseHold, requestHold } from './replication-hold.js'
export type { HoldRequest } from './replication-hold.js'
