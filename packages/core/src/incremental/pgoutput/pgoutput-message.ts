/**
 * The messages of PostgreSQL's pgoutput plugin, protocol versions 1 and 2 ("Logical
 * Replication Message Formats" in the PostgreSQL docs), decoded without interpretation:
 * column values stay the server's text, LSNs are unsigned 64-bit, timestamps are the
 * server's microseconds since 2000-01-01 (see `pgTimestampToDate`).
 *
 * `xid` on changes, relation, type and message messages is only sent inside a streamed
 * transaction's block (between Stream Start and Stream Stop, protocol 2); it is null outside.
 */
export type PgoutputMessage =
  | BeginMessage
  | CommitMessage
  | OriginMessage
  | RelationMessage
  | TypeMessage
  | InsertMessage
  | UpdateMessage
  | DeleteMessage
  | TruncateMessage
  | LogicalMessage
  | StreamStartMessage
  | StreamStopMessage
  | StreamCommitMessage
  | StreamAbortMessage

/** 'B': a transaction begins (only its committed changes follow, up to its Commit). */
export interface BeginMessage {
  readonly kind: 'begin'
  /** The commit record's LSN: where the transaction ends in the WAL. */
  readonly finalLsn: bigint
  /** Microseconds since 2000-01-01 UTC. */
  readonly commitTime: bigint
  readonly xid: number
}

/** 'C': the transaction of the last Begin committed. */
export interface CommitMessage {
  readonly kind: 'commit'
  /** Unused by the server so far (always 0). */
  readonly flags: number
  /** The commit record's LSN. */
  readonly commitLsn: bigint
  /** The end of the commit record: the position to acknowledge once the transaction is applied. */
  readonly endLsn: bigint
  /** Microseconds since 2000-01-01 UTC. */
  readonly commitTime: bigint
}

/** 'O': the transaction came from another replication origin. */
export interface OriginMessage {
  readonly kind: 'origin'
  /** The commit's LSN on the origin server. */
  readonly originLsn: bigint
  readonly name: string
}

/** What a table's UPDATE and DELETE messages carry of the old row. */
export type ReplicaIdentity = 'default' | 'nothing' | 'full' | 'index'

/** One column of a {@link RelationMessage}, in the table's column order (dropped ones left out). */
export interface RelationColumn {
  readonly name: string
  /** Part of the replica identity (the key sent with UPDATE and DELETE). */
  readonly isKey: boolean
  /** The raw flags byte; bit 1 is the key flag. */
  readonly flags: number
  readonly typeOid: number
  /** -1 when the type has no modifier. */
  readonly typeMod: number
}

/**
 * 'R': the shape of a table, sent before its first change in a session and again after the
 * table changed; the tuples of later changes are positional against `columns`.
 */
export interface RelationMessage {
  readonly kind: 'relation'
  readonly xid: number | null
  readonly relationOid: number
  readonly schema: string
  readonly name: string
  readonly replicaIdentity: ReplicaIdentity
  readonly columns: readonly RelationColumn[]
}

/** 'Y': a non-builtin type (enum, domain, composite...) used by a following relation. */
export interface TypeMessage {
  readonly kind: 'type'
  readonly xid: number | null
  readonly typeOid: number
  readonly schema: string
  readonly name: string
}

/**
 * One column value of a tuple:
 * - `null`: SQL NULL;
 * - `unchanged_toast`: a TOASTed value the change did not touch, so the server did not send
 *   it (the destination must keep its own);
 * - `text`: the value in the type's text output, exactly as the server printed it;
 * - `binary`: the type's binary send form (only when the stream was started with `binary`).
 */
export type TupleValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'unchanged_toast' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly bytes: Buffer }

/** A row, one value per column of the relation, in its order. */
export type Tuple = readonly TupleValue[]

/** 'I': a row was inserted. */
export interface InsertMessage {
  readonly kind: 'insert'
  readonly xid: number | null
  readonly relationOid: number
  readonly new: Tuple
}

/**
 * 'U': a row was updated. `key` (replica identity DEFAULT or INDEX, only when a key column
 * changed: the old key, other columns null) or `old` (identity FULL: the whole old row) or
 * neither (the key did not change: `new` holds it).
 */
export interface UpdateMessage {
  readonly kind: 'update'
  readonly xid: number | null
  readonly relationOid: number
  readonly key: Tuple | null
  readonly old: Tuple | null
  readonly new: Tuple
}

/** 'D': a row was deleted; `key` or `old` identifies it, as for {@link UpdateMessage}. */
export interface DeleteMessage {
  readonly kind: 'delete'
  readonly xid: number | null
  readonly relationOid: number
  readonly key: Tuple | null
  readonly old: Tuple | null
}

/** 'T': one TRUNCATE statement, all of its published tables in one message. */
export interface TruncateMessage {
  readonly kind: 'truncate'
  readonly xid: number | null
  readonly cascade: boolean
  readonly restartIdentity: boolean
  readonly relationOids: readonly number[]
}

/** 'M': a `pg_logical_emit_message()` (only when the stream was started with `messages`). */
export interface LogicalMessage {
  readonly kind: 'message'
  readonly xid: number | null
  /** Part of its transaction, or emitted on its own right away. */
  readonly transactional: boolean
  readonly lsn: bigint
  readonly prefix: string
  readonly content: Buffer
}

/** 'S': a block of an in-progress transaction's changes follows (protocol 2, `streaming`). */
export interface StreamStartMessage {
  readonly kind: 'stream_start'
  readonly xid: number
  /** The first block of this transaction. */
  readonly firstSegment: boolean
}

/** 'E': the block opened by the last Stream Start ends. */
export interface StreamStopMessage {
  readonly kind: 'stream_stop'
}

/** 'c': the streamed transaction committed; its blocks' changes now count. */
export interface StreamCommitMessage {
  readonly kind: 'stream_commit'
  readonly xid: number
  readonly flags: number
  readonly commitLsn: bigint
  /** The position to acknowledge once the transaction is applied. */
  readonly endLsn: bigint
  readonly commitTime: bigint
}

/**
 * 'A': a streamed transaction (`subxid` = `xid`) or one of its subtransactions rolled back:
 * discard the changes streamed under `subxid`.
 */
export interface StreamAbortMessage {
  readonly kind: 'stream_abort'
  readonly xid: number
  readonly subxid: number
  /** Sent from protocol 4 (parallel streaming) on; null before. */
  readonly abortLsn: bigint | null
  readonly abortTime: bigint | null
}
