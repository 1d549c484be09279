import { objectKindOf, renderOperation } from '@pgshift/schema-diff'
import type { ObjectId, Operation, Phase, SqlStatement } from '@pgshift/schema-diff'
import type pg from 'pg'
import type { Database } from '../pg/index.js'
import { orderBuilds } from './order-builds.js'
import type { BuildNode } from './order-builds.js'

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
  /**
   * Sessions that build indexes and keys at once, as pg_restore -j does; 1 by default. The
   * pool must allow that many connections.
   */
  readonly parallel?: number
  /**
   * Builds whose ids map to the same group run in their order (a partition tree: a key on the
   * parent builds the partitions' indexes too), except that plain CREATE INDEX of a group run
   * side by side, as their SHARE locks allow; by default each table is its own group.
   */
  readonly groupOf?: (id: ObjectId) => string
}

interface Step {
  readonly operation: Operation
  readonly statement: SqlStatement
}

/**
 * Runs DDL operations on the destination. Consecutive transactional statements share one
 * transaction, so a failure leaves none of them half-applied; statements that cannot run in a
 * transaction (CREATE INDEX CONCURRENTLY, ALTER TYPE ... ADD VALUE) run alone. Each statement
 * gets its own lock_timeout when the plan gives one. Function bodies are not checked while the
 * tables they read may not exist yet, as pg_restore does. With `parallel`, runs of consecutive
 * index and key builds, index attaches and foreign keys are spread over that many sessions,
 * each its own transaction, in an order that respects what each waits for (orderBuilds).
 * Re-running after a failure is safe: the next plan is diffed from the destination as it is
 * now.
 */
export async function applySchemaOperations(
  db: Database,
  operations: readonly Operation[],
  options: ApplySchemaOptions = {},
): Promise<number> {
  const selected = operations.filter((op) => options.phase === undefined || op.phase === options.phase)
  const steps = selected.flatMap((operation) =>
    renderOperation(operation).map((statement): Step => ({ operation, statement })),
  )
  if (steps.length === 0) return 0
  const parallel = Math.max(1, options.parallel ?? 1)
  for (const segment of segments(steps, parallel > 1)) {
    if (!segment.parallel) {
      await withSession(db, (client) => runSequentially(client, segment.steps, options))
      continue
    }
    await runBuilds(db, segment.steps, parallel, options)
  }
  return steps.length
}

// index and key builds touch one table each and depend on nothing but it
function isBuild(operation: Operation): boolean {
  if (operation.kind === 'create_index' || operation.kind === 'create_constraint_index') return true
  return (
    operation.kind === 'add_constraint' &&
    operation.usingIndex === null &&
    (operation.constraintKind === 'primary_key' || operation.constraintKind === 'unique' || operation.constraintKind === 'exclusion')
  )
}

/** Maximal runs of steps that can run in parallel, and of those that cannot, in order. */
function segments(steps: readonly Step[], parallel: boolean): { parallel: boolean; steps: Step[] }[] {
  const result: { parallel: boolean; steps: Step[] }[] = []
  for (const step of steps) {
    const canParallel = parallel && joinsBuilds(step.operation)
    const last = result.at(-1)
    if (last !== undefined && last.parallel === canParallel) last.steps.push(step)
    else result.push({ parallel: canParallel, steps: [step] })
  }
  return result
}

// index attaches and foreign keys join the builds around them (orderBuilds says what each
// waits for): left between them they would cut the run, one partition's index or one foreign
// key's validation at a time while the other sessions idle
function joinsBuilds(operation: Operation): boolean {
  if (isBuild(operation) || operation.kind === 'attach_index') return true
  return operation.kind === 'add_constraint' && operation.constraintKind === 'foreign_key'
}

/**
 * Runs a segment of builds over `parallel` sessions, each as soon as what it waits for is done
 * (see {@link orderBuilds}), the builds of the largest tables on the destination first. After
 * one failure the sessions finish what they hold and start nothing new.
 */
async function runBuilds(db: Database, steps: readonly Step[], parallel: number, options: ApplySchemaOptions): Promise<void> {
  const groupOf = options.groupOf ?? ((id: ObjectId) => id)
  const sizes = await tableSizes(db, steps.map((step) => step.operation.id))
  const { nodes, byPriority } = orderBuilds(steps, (step) => step.operation, groupOf, sizes)
  const state = new Map<BuildNode<Step>, 'running' | 'done'>()
  let firstUnfinished = 0
  let failed = false
  // sessions with nothing ready wait for a running build to end
  let changed: () => void = () => {}
  let nextChange = new Promise<void>((resolve) => (changed = resolve))
  const signal = () => {
    const wake = changed
    nextChange = new Promise<void>((resolve) => (changed = resolve))
    wake()
  }
  const ready = (node: BuildNode<Step>) =>
    !state.has(node) && firstUnfinished >= node.barrier && node.after.every((earlier) => state.get(earlier) === 'done')
  const workers = await Promise.allSettled(
    Array.from({ length: Math.min(parallel, nodes.length) }, () =>
      withSession(db, async (client) => {
        while (!failed) {
          const node = byPriority.find(ready)
          if (node === undefined) {
            if (state.size === nodes.length) return
            await nextChange
            continue
          }
          state.set(node, 'running')
          try {
            await runAlone(client, node.item, options)
          } catch (error) {
            failed = true
            throw error
          } finally {
            state.set(node, 'done')
            while (nodes[firstUnfinished] !== undefined && state.get(nodes[firstUnfinished] as BuildNode<Step>) === 'done') firstUnfinished++
            signal()
          }
        }
      }),
    ),
  )
  const failure = workers.find((worker): worker is PromiseRejectedResult => worker.status === 'rejected')
  if (failure !== undefined) throw failure.reason
}

/** Bytes of each table named by these ids (`table:schema.name`) on the destination, 0 if absent. */
async function tableSizes(db: Database, ids: readonly ObjectId[]): Promise<Map<ObjectId, number>> {
  const tables = [...new Set(ids.filter((id) => objectKindOf(id) === 'table'))]
  if (tables.length === 0) return new Map()
  const { rows } = await db.pool.query<{ id: string; bytes: string }>(
    `SELECT id, coalesce(pg_table_size(to_regclass(substr(id, length('table:') + 1))), 0) AS bytes
       FROM unnest($1::text[]) AS id`,
    [tables],
  )
  return new Map(rows.map((row) => [row.id, Number(row.bytes)]))
}


async function withSession(db: Database, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await db.pool.connect()
  try {
    await client.query('SET check_function_bodies = false')
    await work(client)
  } finally {
    await client.query('RESET ALL').catch(() => {})
    client.release()
  }
}

async function runSequentially(client: pg.PoolClient, steps: readonly Step[], options: ApplySchemaOptions): Promise<void> {
  let inTransaction = false
  try {
    for (const { operation, statement } of steps) {
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
  }
}

async function runAlone(client: pg.PoolClient, { operation, statement }: Step, options: ApplySchemaOptions): Promise<void> {
  options.onStatement?.(statement, operation)
  await runStatement(client, statement, false).catch((error: unknown) => {
    throw new SchemaApplyError(operation, statement, error)
  })
}

async function runStatement(client: pg.PoolClient, statement: SqlStatement, inTransaction: boolean) {
  const timeout = `${statement.lockTimeoutMs ?? 0}ms`
  // SET LOCAL ends with the transaction; outside one the setting is reset after the statement
  await client.query(inTransaction ? `SET LOCAL lock_timeout = '${timeout}'` : `SET lock_timeout = '${timeout}'`)
  await client.query(statement.sql)
  if (!inTransaction) await client.query('RESET lock_timeout')
}
