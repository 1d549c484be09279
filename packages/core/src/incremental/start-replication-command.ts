import { quoteIdentifier, quoteLiteral } from '@pgshift/schema-diff'
import { formatLsn } from './pgoutput/lsn.js'

/** What to stream from a logical slot with pgoutput. */
export interface StartReplicationOptions {
  readonly slot: string
  /** 0 resumes at the slot's confirmed_flush_lsn. */
  readonly startLsn: bigint
  /** 2 needs PostgreSQL 14; it is what allows `streaming`. */
  readonly protocolVersion: 1 | 2
  readonly publications: readonly string[]
  /** Stream large in-progress transactions in blocks instead of after their commit. */
  readonly streaming: boolean
  /** Include `pg_logical_emit_message()` messages (PostgreSQL 14). */
  readonly messages: boolean
}

/**
 * The `START_REPLICATION ... LOGICAL` command. Pure. `publication_names` is parsed by the
 * server as a list of identifiers, so each name is quoted as one inside the string literal.
 */
export function renderStartReplication(options: StartReplicationOptions): string {
  if (options.publications.length === 0) throw new Error('START_REPLICATION needs at least one publication')
  if (options.streaming && options.protocolVersion < 2) throw new Error('streaming needs pgoutput protocol version 2')
  const publications = options.publications.map((name) => quoteIdentifier(name)).join(',')
  const pluginOptions = [
    `proto_version '${options.protocolVersion}'`,
    `publication_names ${quoteLiteral(publications)}`,
    ...(options.streaming ? ["streaming 'on'"] : []),
    ...(options.messages ? ["messages 'true'"] : []),
  ]
  return `START_REPLICATION SLOT ${quoteIdentifier(options.slot)} LOGICAL ${formatLsn(options.startLsn)} (${pluginOptions.join(', ')})`
}
