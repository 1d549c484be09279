/** How {@link diffSchemas} should go about the changes. */
export interface DiffOptions {
  /**
   * The destination already holds data that others are using: build indexes CONCURRENTLY, add
   * CHECK and foreign-key constraints NOT VALID and validate them separately, build primary keys
   * and unique constraints from a concurrently built index, SET NOT NULL through a validated
   * CHECK, detach partitions CONCURRENTLY, and give every statement on an existing object a
   * lock_timeout. Objects this diff creates are new and empty, so they get none of it.
   */
  readonly lockAware?: boolean
  /**
   * lock_timeout in milliseconds for statements that lock existing objects. Defaults to
   * {@link DEFAULT_LOCK_TIMEOUT_MS} when `lockAware`, else none.
   */
  readonly lockTimeoutMs?: number
}

/** lock_timeout of a lock-aware diff when none is given: fail fast rather than queue writers. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5000
