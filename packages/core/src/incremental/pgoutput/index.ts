export { decodePgoutputMessage } from './decode-pgoutput-message.js'
export type { PgoutputDecodeContext } from './decode-pgoutput-message.js'
export { MAX_LSN, formatLsn, parseLsn } from './lsn.js'
export { PG_EPOCH_MS, pgTimestampToDate, unixMsToPgTimestamp } from './pg-timestamp.js'
export { PgoutputDecodeError, describeByte } from './pgoutput-decode-error.js'
export type { PgoutputDecodeErrorCode } from './pgoutput-decode-error.js'
export { PgoutputDecoder } from './pgoutput-decoder.js'
export type {
  BeginMessage,
  CommitMessage,
  DeleteMessage,
  InsertMessage,
  LogicalMessage,
  OriginMessage,
  PgoutputMessage,
  RelationColumn,
  RelationMessage,
  ReplicaIdentity,
  StreamAbortMessage,
  StreamCommitMessage,
  StreamStartMessage,
  StreamStopMessage,
  TruncateMessage,
  Tuple,
  TupleValue,
  TypeMessage,
  UpdateMessage,
} from './pgoutput-message.js'
