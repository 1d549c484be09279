import { renderOperation } from '@pgshift/schema-diff'
import type { Operation, Phase, SqlStatement } from '@pgshift/schema-diff'
import type pg from 'pg'
import type { Database } from '../pg/index.js'

/** A DDL statement failed; says which, with PostgreSQL's own diagnostics. */
export class SchemaApplyError extends Error {
  readonly code = 'SCHEMA_APPLY_FAILED'

  constructor(
    readonly operation: Operation,
    readonly statement: SqlStatement,
    cause: unknown,
  ) {
    const driver = cause as { message?: string; code?: string; detail?: string; hint?: string }
    const parts = [
      `applying ${operation.kind} ${operation.id}: ${driver.message ?? String(cause)}`,
      driver.code === undefined ? undefined : `SQLSTATE ${driver.code}`,
      driver.detail === undefined ? undefined : `detail: ${driver.detail}`,
      driver.hint === undefined ? undefined : `hint: ${driver.hint}`,
      `statement: ${statement.sql}`,
    ]
    super(parts.filter((part) => part !== undefined).join('\n'), { cause })
    this.name = 'SchemaApplyError'
  }
}

/** Which operations to run and what to report. */
export interface ApplySchemaOptions {
  /** Run only the operations of this phase (pre-data before the copy, post-data after it). */
  readonly phase?: Phase
  /** Called before each statement runs (for logs and progress). */
  readonly onStatement?: (statement: SqlStatement, operation: Operation) => void
}

/**
 * Runs DDL operations on the destination. Consecutive transactional statements share one
 * transaction, so a failure leaves none of them half-applied; statements that cannot run in a
 * transaction (CREATE INDEX CONCURRENTLY, ALTER TYPE ... ADD VALUE) run alone. Each statement
 * gets its own lock_timeout when the plan gives one. Function bodies are not checked while the
 * tables they read may not exist yet, as pg_restore does. Re-running after a failure is safe:
 * the next plan is diffed from the destination as it is now.
 */
export async function applySchemaOperations(
  db: Database,
  operations: readonly Operation[],
  options: ApplySchemaOptions = {},
): Promise<number> {
  const selected = operations.filter((op) => options.phase === undefined || op.phase === options.phase)
  const statements = selected.flatMap((operation) =>
    renderOperation(operation).map((statement) => ({ operation, statement })),
  )
  if (statements.length === 0) return 0
  const client = await db.pool.connect()
  let inTransaction = false
  try {
    await client.query('SET check_function_bodies = false')
    for (const { operation, statement } of statements) {
      options.onStatement?.(statement, operation)
      if (statement.transactional && !inTransaction) {
        await client.query('BEGIN')
        inTransaction = true
      } else if (!statement.transactional && inTransaction) {
        await client.query('COMMIT')
        inTransaction = false
      }
      await runStatement(client, statement, inTransaction).catch((error: unknown) => {
        throw new SchemaApplyError(operation, statement, error)
      })
    }
    if (inTransaction) {
      await client.query('COMMIT')
      inTransaction = false
    }
  } finally {
    if (inTransaction) await client.query('ROLLBACK').catch(() => {})
    await client.query('RESET ALL').catch(() => {})
    client.release()
  }
  return statements.length
}

async function runStatement(client: pg.PoolClient, statement: SqlStatement, inTransaction: boolean) {
  const timeout = `${statement.lockTimeoutMs ?? 0}ms`
  // SET LOCAL ends with the transaction; outside one the setting is reset after the statement
  await client.query(inTransaction ? `SET LOCAL lock_timeout = '${timeout}'` : `SET lock_timeout = '${timeout}'`)
  await client.query(statement.sql)
  if (!inTransaction) await client.query('RESET lock_timeout')
}
