export * from './pgoutput/index.js'
export { createPublication } from './create-publication.js'
export type { PublishedTable } from './create-publication.js'
export { dropPublication } from './drop-publication.js'
export { readReplicationSlot } from './read-replication-slot.js'
export type { ReplicationSlotState } from './read-replication-slot.js'
export { ReplicationStreamError } from './replication-stream-error.js'
export type { ReplicationStreamErrorCode } from './replication-stream-error.js'
export { ReplicationStream, openReplicationStream } from './replication-stream.js'
export type {
  OpenReplicationStreamOptions,
  ReplicationItem,
  ReplicationKeepaliveItem,
  ReplicationMessageItem,
} from './replication-stream.js'
export type { IncrementalEvent, IncrementalEventListener, TableBatchCounts } from './incremental-event.js'
