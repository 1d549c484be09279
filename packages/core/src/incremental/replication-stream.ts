import pg from 'pg'
import { connectionError, sessionOptions } from '../pg/index.js'
import type { ConnectionUrl } from '../spec/index.js'
import { AsyncQueue } from './async-queue.js'
import { copyBoth } from './copy-both.js'
import type { CopyBothStream } from './copy-both.js'
import { encodeStandbyStatus } from './encode-standby-status.js'
import { formatLsn } from './pgoutput/lsn.js'
import { unixMsToPgTimestamp } from './pgoutput/pg-timestamp.js'
import { PgoutputDecoder } from './pgoutput/pgoutput-decoder.js'
import type { PgoutputMessage } from './pgoutput/pgoutput-message.js'
import { inspectReplicationSource } from './inspect-replication-source.js'
import { decodeReplicationFrame } from './replication-frame.js'
import { ReplicationStreamError, toReplicationStreamError } from './replication-stream-error.js'
import type { ReplicationStreamErrorCode } from './replication-stream-error.js'
import { renderStartReplication } from './start-replication-command.js'

/** How to stream a slot; see {@link openReplicationStream}. */
export interface OpenReplicationStreamOptions {
  /** A logical slot created with pgoutput (see `openCopySnapshot`, `replicationSlotName`). */
  readonly slot: string
  /** The publications whose tables are streamed. */
  readonly publications: readonly string[]
  /**
   * Skip transactions that committed before this position: the caller's last applied commit
   * end LSN. The stream starts at the later of this and the slot's confirmed_flush_lsn, and
   * that position counts as acknowledged. Default 0: resume where the slot stands.
   */
  readonly startLsn?: bigint
  /** pgoutput protocol; by default 2 (with streaming of large transactions) on PostgreSQL 14+, 1 below. */
  readonly protocolVersion?: 1 | 2
  /** Also deliver `pg_logical_emit_message()` messages (PostgreSQL 14+). */
  readonly messages?: boolean
  /**
   * How often a standby status update goes out even when the server does not ask, so that
   * `wal_sender_timeout` never ends a stream whose consumer is busy: while the reader is
   * paused the server's keepalive requests sit unread in the socket, and only these updates
   * reach it. Keep it well below the source's wal_sender_timeout (default 60 s). Default 10 s.
   */
  readonly statusIntervalMs?: number
  /**
   * Decoded items held for a slow consumer before the socket is paused (TCP then pushes back
   * to the server). Default 1000.
   */
  readonly maxBufferedItems?: number
  /** Extra settings for the walsender session (e.g. `wal_sender_timeout`), on top of pgshift's pinned ones. */
  readonly sessionSettings?: Readonly<Record<string, string>>
  /** Default `pgshift replication`. */
  readonly applicationName?: string
  readonly connectTimeoutMs?: number
  /** How long {@link ReplicationStream.close} waits for the server to end the stream before cutting the connection. Default 5 s. */
  readonly closeTimeoutMs?: number
}

/** A decoded pgoutput message and the WAL position it came with. */
export interface ReplicationMessageItem {
  readonly kind: 'message'
  /** The XLogData start: the change's LSN; for Commit its end LSN; 0 for Relation and Type. */
  readonly walStart: bigint
  readonly walEnd: bigint
  /** The server's clock when it sent the message, microseconds since 2000-01-01 UTC. */
  readonly sendTime: bigint
  readonly message: PgoutputMessage
}

/**
 * A primary keepalive, already answered when it asked for a reply. Its `walEnd` is what the
 * server has sent so far: when every transaction received before it is applied, the caller may
 * acknowledge it, which lets the slot advance while the published tables are quiet.
 */
export interface ReplicationKeepaliveItem {
  readonly kind: 'keepalive'
  readonly walEnd: bigint
  readonly sendTime: bigint
  readonly replyRequested: boolean
}

/** What a {@link ReplicationStream} yields. */
export type ReplicationItem = ReplicationMessageItem | ReplicationKeepaliveItem

interface StreamSetup {
  readonly slot: string
  readonly client: pg.Client
  readonly copy: CopyBothStream
  readonly serverVersion: number
  readonly protocolVersion: 1 | 2
  readonly startLsn: bigint
  readonly statusIntervalMs: number
  readonly maxBufferedItems: number
  readonly closeTimeoutMs: number
}

/**
 * A pgoutput stream from a logical slot over one replication connection.
 *
 * Nothing is ever acknowledged on the caller's behalf: keepalive replies and the periodic
 * status updates report the last position passed to {@link acknowledge}, so a transaction
 * that was received but not applied is delivered again after a reconnect.
 *
 * One consumer reads it (`for await`, or {@link read}); leaving a `for await` loop does not
 * close the stream, {@link close} does. Connection loss and server errors surface as a
 * {@link ReplicationStreamError} from the iterator once the items received before them are
 * read; the caller reopens.
 */
export class ReplicationStream implements AsyncIterable<ReplicationItem> {
  /** `server_version_num` of the source, e.g. 150018. */
  readonly serverVersion: number
  readonly protocolVersion: 1 | 2
  /** Whether large in-progress transactions arrive in Stream Start/Stop blocks. */
  readonly streaming: boolean
  /** The position streaming started from (acknowledged from the outset). */
  readonly startLsn: bigint
  readonly #slot: string
  readonly #client: pg.Client
  readonly #copy: CopyBothStream
  readonly #decoder = new PgoutputDecoder()
  readonly #queue = new AsyncQueue<ReplicationItem>()
  readonly #maxBuffered: number
  readonly #closeTimeoutMs: number
  readonly #timer: NodeJS.Timeout
  #acknowledged: bigint
  #received: bigint
  #started = false
  #paused = false
  #closing: Promise<void> | null = null
  #failure: ReplicationStreamError | null = null
  readonly #startWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = []

  private constructor(setup: StreamSetup) {
    this.#slot = setup.slot
    this.#client = setup.client
    this.#copy = setup.copy
    this.serverVersion = setup.serverVersion
    this.protocolVersion = setup.protocolVersion
    this.streaming = setup.protocolVersion >= 2
    this.startLsn = setup.startLsn
    this.#acknowledged = setup.startLsn
    this.#received = setup.startLsn
    this.#maxBuffered = setup.maxBufferedItems
    this.#closeTimeoutMs = setup.closeTimeoutMs
    // no listener may be missing at any moment: an 'error' event without one crashes the process
    this.#client.on('error', (error) => this.#fail(error))
    this.#client.on('end', () => this.#fail(new Error('Connection terminated unexpectedly')))
    this.#copy.on('error', (error) => this.#fail(error))
    this.#copy.on('end', () => this.#fail(new Error('the server ended the replication stream')))
    this.#copy.on('data', (chunk: Buffer) => this.#onData(chunk))
    this.#timer = setInterval(() => this.#sendStatus(), setup.statusIntervalMs)
    this.#timer.unref()
  }

  /** @internal see {@link openReplicationStream} */
  static async start(setup: StreamSetup): Promise<ReplicationStream> {
    const stream = new ReplicationStream(setup)
    await stream.#start()
    return stream
  }

  /** The last position passed to {@link acknowledge} (or the start position). */
  get acknowledgedLsn(): bigint {
    return this.#acknowledged
  }

  /** Decoded items waiting to be read; the socket pauses at `maxBufferedItems`. */
  get bufferedItems(): number {
    return this.#queue.size
  }

  /** The furthest WAL position the server has sent (changes, commits, keepalives). */
  get receivedLsn(): bigint {
    return this.#received
  }

  /**
   * Reports `lsn` as written, flushed and applied: the slot's confirmed_flush_lsn moves there
   * and transactions committed before it are not sent again. Pass a Commit's (or Stream
   * Commit's) `endLsn` after the destination committed that transaction. Never moves back.
   * @throws RangeError for a position beyond what the server has sent (a bug that would skip data)
   */
  acknowledge(lsn: bigint): void {
    if (lsn > this.#received) {
      throw new RangeError(
        `cannot acknowledge ${formatLsn(lsn)}: the server has only sent up to ${formatLsn(this.#received)}`,
      )
    }
    if (lsn <= this.#acknowledged) return
    this.#acknowledged = lsn
    this.#sendStatus()
  }

  /** The next item; null once the stream is closed. @throws ReplicationStreamError when it failed */
  async read(): Promise<ReplicationItem | null> {
    const item = await this.#queue.shift()
    // resume below half so a busy consumer does not toggle the socket on every item
    if (this.#paused && this.#queue.size <= this.#maxBuffered / 2 && this.#closing === null) {
      this.#paused = false
      this.#copy.resume()
    }
    return item
  }

  [Symbol.asyncIterator](): AsyncIterator<ReplicationItem> {
    return {
      next: async () => {
        const item = await this.read()
        return item === null ? { done: true, value: undefined } : { done: false, value: item }
      },
    }
  }

  /**
   * Ends the stream: CopyDone, then waits (up to `closeTimeoutMs`) for the server to finish and
   * release the slot, so it can be reopened at once; then ends the connection. Items not yet
   * read are dropped; readers get null. Safe to call more than once.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    clearInterval(this.#timer)
    this.#queue.end(true)
    if (this.#failure === null && this.#started) {
      const finished = new Promise<void>((resolve) => {
        this.#copy.once('finish', resolve)
        this.#copy.once('close', resolve)
        this.#copy.once('error', () => resolve())
        this.#client.once('end', resolve)
      })
      let timeout: NodeJS.Timeout | undefined
      const timedOut = new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, this.#closeTimeoutMs)
      })
      // whatever is still in flight is read and dropped, or the server could block on a full socket
      this.#copy.resume()
      this.#copy.end()
      await Promise.race([finished, timedOut])
      clearTimeout(timeout)
    }
    await this.#client.end().catch(() => {})
  }

  #start(): Promise<void> {
    // writes are held back until the server's CopyBothResponse, so this callback says that
    // START_REPLICATION was accepted; the update itself reports the start position
    return new Promise<void>((resolve, reject) => {
      this.#startWaiters.push({ resolve, reject })
      this.#copy.write(this.#status(false), (error) => {
        if (error) return
        this.#started = true
        for (const waiter of this.#startWaiters.splice(0)) waiter.resolve()
      })
    })
  }

  #onData(chunk: Buffer): void {
    if (this.#closing !== null || this.#failure !== null) return
    let item: ReplicationItem
    try {
      const frame = decodeReplicationFrame(chunk)
      if (frame.kind === 'keepalive') {
        if (frame.walEnd > this.#received) this.#received = frame.walEnd
        if (frame.replyRequested) this.#sendStatus()
        item = frame
      } else {
        const message = this.#decoder.decode(frame.data)
        const end = message.kind === 'commit' || message.kind === 'stream_commit' ? message.endLsn : frame.walEnd
        if (end > this.#received) this.#received = end
        item = { kind: 'message', walStart: frame.walStart, walEnd: frame.walEnd, sendTime: frame.sendTime, message }
      }
    } catch (error) {
      this.#fail(error, 'DECODE_FAILED')
      return
    }
    this.#queue.push(item)
    if (!this.#paused && this.#queue.size >= this.#maxBuffered) {
      this.#paused = true
      this.#copy.pause()
    }
  }

  #status(replyRequested: boolean): Buffer {
    const lsn = this.#acknowledged
    return encodeStandbyStatus({
      written: lsn,
      flushed: lsn,
      applied: lsn,
      clock: unixMsToPgTimestamp(Date.now()),
      replyRequested,
    })
  }

  #sendStatus(): void {
    if (!this.#started || this.#closing !== null || this.#failure !== null) return
    try {
      this.#copy.write(this.#status(false))
    } catch (error) {
      // called from timers and socket handlers: a throw here would be uncaught
      this.#fail(error)
    }
  }

  #fail(error: unknown, code?: ReplicationStreamErrorCode): void {
    if (this.#closing !== null || this.#failure !== null) return
    const doing =
      code === 'DECODE_FAILED'
        ? `decoding the stream of replication slot ${this.#slot}`
        : this.#started
          ? `streaming from replication slot ${this.#slot}`
          : `starting replication from slot ${this.#slot}`
    const failure = toReplicationStreamError(error, code, doing)
    this.#failure = failure
    clearInterval(this.#timer)
    for (const waiter of this.#startWaiters.splice(0)) waiter.reject(failure)
    this.#queue.fail(failure)
    // a stream that failed is of no further use; its slot is released when the session ends
    this.#client.end().catch(() => {})
  }
}

/**
 * Opens a pgoutput stream from `options.slot`: reads the server version and the slot on a
 * normal connection first, then `START_REPLICATION` over a replication connection with
 * pgshift's pinned session settings (so values arrive as ISO/UTC text, floats exact). Resolves
 * once the server has accepted the command.
 *
 * ```ts
 * const stream = await openReplicationStream(sourceUrl, { slot: 'pgshift_orders', publications: ['pgshift_orders'] })
 * try {
 *   for await (const item of stream) {
 *     if (item.kind !== 'message') continue
 *     const message = item.message
 *     // ...apply inserts/updates/deletes; on commit, commit the destination, then:
 *     if (message.kind === 'commit' || message.kind === 'stream_commit') stream.acknowledge(message.endLsn)
 *   }
 * } finally {
 *   await stream.close()
 * }
 * ```
 * @throws ReplicationStreamError (`SLOT_NOT_FOUND`, `SLOT_IN_USE`, ...) or ConnectionError
 */
export async function openReplicationStream(
  url: ConnectionUrl,
  options: OpenReplicationStreamOptions,
): Promise<ReplicationStream> {
  const { serverVersion, confirmedFlushLsn } = await inspectReplicationSource(url, options.slot, options)
  const protocolVersion = options.protocolVersion ?? (serverVersion >= 140000 ? 2 : 1)
  if (protocolVersion >= 2 && serverVersion < 140000) {
    throw new Error(`pgoutput protocol version 2 needs PostgreSQL 14 or later; the source runs ${serverVersion}`)
  }
  if (options.messages === true && serverVersion < 140000) {
    throw new Error(`logical decoding messages need PostgreSQL 14 or later; the source runs ${serverVersion}`)
  }
  const requested = options.startLsn ?? 0n
  const startLsn = requested > confirmedFlushLsn ? requested : confirmedFlushLsn
  const command = renderStartReplication({
    slot: options.slot,
    startLsn,
    protocolVersion,
    publications: options.publications,
    streaming: protocolVersion >= 2,
    messages: options.messages ?? false,
  })

  const client = new pg.Client({
    connectionString: url.reveal(),
    replication: 'database',
    application_name: options.applicationName ?? 'pgshift replication',
    keepAlive: true,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    options: sessionOptions({ statement_timeout: '0', ...options.sessionSettings }),
  } as pg.ClientConfig)
  // until the stream takes over, a dropped connection shows up through connect() or the query
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (error) {
    throw connectionError(error, url, 'source')
  }
  const copy = client.query(copyBoth(command))
  try {
    return await ReplicationStream.start({
      slot: options.slot,
      client,
      copy,
      serverVersion,
      protocolVersion,
      startLsn,
      statusIntervalMs: options.statusIntervalMs ?? 10_000,
      maxBufferedItems: options.maxBufferedItems ?? 1000,
      closeTimeoutMs: options.closeTimeoutMs ?? 5_000,
    })
  } catch (error) {
    await client.end().catch(() => {})
    throw toReplicationStreamError(error, undefined, `starting replication from slot ${options.slot}`)
  }
}
