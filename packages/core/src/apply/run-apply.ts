import { quoteIdentifier, quoteQualifiedName, renderOperation } from '@pgshift/schema-diff'
import type { Operation, SchemaModel } from '@pgshift/schema-diff'
import pg from 'pg'
import { prepareCopyPlan, renderCopyStep, runFullCopy, selectCopyTables } from '../copy/index.js'
import type { FullCopyResult } from '../copy/index.js'
import { ddlScope } from '../incremental/ddl/index.js'
import { followChanges } from '../incremental/follow-changes.js'
import type { FollowResult } from '../incremental/follow-changes.js'
import { describeDrift, inspectDatabases, inspectionFingerprint, inspectionNotes, planIncremental } from '../plan/index.js'
import type { Inspection, Plan } from '../plan/index.js'
import { openDatabase, sessionOptions } from '../pg/index.js'
import type { Database } from '../pg/index.js'
import type { PrecheckFinding, PrecheckOptions } from '../precheck/index.js'
import { applySchemaOperations } from '../schema/index.js'
import { partitionRoot } from '../selection/index.js'
import type { ApplySchemaOptions } from '../schema/index.js'
import { readSequencePositions, syncSequences } from '../sequences/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { ensureStateSchema, finishPhase, recordOwnedObjects, startPhase } from '../state/index.js'
import type { PhaseName } from '../state/index.js'
import { ApplyLockedError, PlanDriftError, PrecheckBlockedError } from './apply-errors.js'
import { prepareIncremental } from './prepare-incremental.js'
import type { ApplyEvent, ApplyEventListener, ApplyStep } from './apply-event.js'

/** How to run {@link runApply}. */
export interface RunApplyOptions {
  readonly spec: MigrationSpec
  /** Print every statement that would run (as `dry-run` events) and change nothing. */
  readonly dryRun?: boolean
  /** Go on past precheck warnings (errors always stop). */
  readonly ignoreWarnings?: boolean
  readonly precheck?: PrecheckOptions
  /** A reviewed plan: refuse when the live databases or the spec no longer match it. */
  readonly plan?: Plan
  readonly onEvent?: ApplyEventListener
  /**
   * With `incremental` in the spec's types: follow changes until caught up and return
   * (pipelines, tests), or until a stop request (`cutover`, `abort`) or {@link signal}. Default
   * `forever`.
   */
  readonly until?: 'caught-up' | 'forever'
  /** Aborting stops following at the next transaction boundary: clean and resumable (SIGTERM). */
  readonly signal?: AbortSignal
}

/** What an apply did. */
export interface ApplyResult {
  readonly inspection: Inspection
  readonly dryRun: boolean
  readonly copy: FullCopyResult | null
  /** How following changes ended, or null without incremental. */
  readonly incremental: FollowResult | null
}

/**
 * `pgshift apply`: prechecks, then the schema's pre-data DDL, the full copy, the post-data DDL
 * and the sequences, each recorded in the destination's `pgshift.phases`. Every step is
 * idempotent: the DDL is diffed from the destination as it is now, finished copy units are
 * skipped, so re-running after a failure or a kill resumes and converges. Precheck errors (and
 * warnings, unless `ignoreWarnings`) stop it before anything changes, as does a spec asking for
 * incremental migration, which this version cannot do yet.
 *
 * With a reviewed plan, the live fingerprint must match the plan's (drift stops it).
 *
 * @throws PrecheckBlockedError, PlanDriftError, NotAvailableError, ApplyLockedError, ConnectionError,
 *   SchemaApplyError, FullCopyError
 */
export async function runApply(options: RunApplyOptions): Promise<ApplyResult> {
  const { spec } = options
  const emit = (event: ApplyEvent) => {
    try {
      options.onEvent?.(event)
    } catch {
      // a listener's failure must not abort the migration
    }
  }
  const source = await openDatabase(spec.source.url, { role: 'source', maxConnections: 4 })
  let destination: Database | undefined
  try {
    // index builds after the copy use one session per parallel table
    const maxConnections = Math.max(4, spec.options.parallel.tables + 1)
    destination = await openDatabase(spec.destination.url, { role: 'destination', maxConnections })
    const inspection = await timed(emit, 'precheck', async () => {
      const inspected = await inspectDatabases(source, destination!, spec, { precheck: options.precheck })
      emit({ type: 'findings', findings: inspected.findings })
      return { result: inspected, detail: countFindings(inspected.findings) }
    })
    for (const note of [...inspection.fidelity, ...inspectionNotes(inspection)]) emit({ type: 'note', ...note })
    if (options.plan !== undefined) {
      const live = inspectionFingerprint(spec, inspection)
      if (live.digest !== options.plan.fingerprint.digest) {
        throw new PlanDriftError(describeDrift(options.plan.fingerprint, live))
      }
    }
    const blocking = inspection.findings.filter(
      (finding) => finding.severity === 'error' || !options.ignoreWarnings,
    )
    if (options.dryRun) {
      // read-only either way: show the statements, then say whether apply would refuse
      await dryRun(spec, inspection, source, emit)
      if (blocking.length > 0) throw new PrecheckBlockedError(blocking)
      return { inspection, dryRun: true, copy: null, incremental: null }
    }
    if (blocking.length > 0) throw new PrecheckBlockedError(blocking)
    const { copy, incremental } = await applyPhases(options, inspection, source, destination, emit)
    return { inspection, dryRun: false, copy, incremental }
  } finally {
    await Promise.all([source.close(), destination?.close()])
  }
}

async function applyPhases(
  options: RunApplyOptions,
  inspection: Inspection,
  source: Database,
  destination: Database,
  emit: (event: ApplyEvent) => void,
): Promise<{ copy: FullCopyResult | null; incremental: FollowResult | null }> {
  const { spec } = options
  const incremental = spec.types.includes('incremental')
  const migration = spec.metadata.name
  const operations = inspection.schema.operations
  const withSchema = spec.types.includes('schema')
  // one session holds the migration's apply lock for the whole run and records the phases
  const state = new pg.Client({
    connectionString: spec.destination.url.reveal(),
    application_name: 'pgshift apply',
    keepAlive: true,
    options: sessionOptions(),
  })
  state.on('error', () => {})
  await state.connect()
  try {
    await ensureStateSchema(state)
    const { rows } = await state.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext('pgshift apply'), hashtext($1)) AS locked`,
      [migration],
    )
    if (rows[0]?.locked !== true) throw new ApplyLockedError(migration)
    const phase = <T>(name: PhaseName, work: () => Promise<{ result: T; detail: Record<string, number> }>) =>
      recordedPhase(state, migration, name, emit, work)

    if (withSchema) {
      await phase('schema-pre-data', async () => {
        await recordOwnedObjects(state, migration, createdObjects(operations))
        return { result: undefined, detail: { statements: await runDdl(destination, operations, 'pre-data', emit) } }
      })
    } else {
      emit({ type: 'step-skipped', step: 'schema-pre-data', reason: 'the spec\'s types leave out schema' })
    }

    if (incremental) {
      await phase('incremental-setup', async () => ({
        result: undefined,
        detail: await prepareIncremental(spec, inspection, source, state, emit),
      }))
    }

    let copy: FullCopyResult | null = null
    if (spec.types.includes('full')) {
      copy = await phase('full', async () => {
        const plan = await prepareCopyPlan(source, destination, spec, inspection.sourceModel)
        emit({ type: 'copy-plan', plan })
        const result = await runFullCopy({
          source,
          destination,
          spec,
          plan,
          onEvent: (event) => emit({ type: 'copy', event }),
        })
        const copied = result.units.filter((unit) => unit.status === 'copied').length
        return {
          result,
          detail: { units: result.units.length, copiedUnits: copied, rows: result.rows, bytes: result.bytes },
        }
      })
    } else {
      emit({ type: 'step-skipped', step: 'full', reason: 'the spec\'s types leave out full' })
    }

    if (withSchema) {
      await phase('schema-post-data', async () => ({
        result: undefined,
        detail: {
          statements: await runDdl(destination, operations, 'post-data', emit, {
            parallel: spec.options.parallel.tables,
            groupOf: partitionRoots(inspection.schema.target),
          }),
        },
      }))
    } else {
      emit({ type: 'step-skipped', step: 'schema-post-data', reason: 'the spec\'s types leave out schema' })
    }

    if (spec.types.includes('full')) {
      await phase('sequences', async () => {
        const synced = await syncSequences(source, destination, inspection.sequences)
        for (const sequence of synced) emit({ type: 'sequence', sequence })
        return { result: undefined, detail: { sequences: synced.length } }
      })
    }

    let followed: FollowResult | null = null
    if (incremental) {
      followed = await phase('incremental', async () => {
        const result = await followChanges({
          source,
          destination,
          spec,
          tables: selectCopyTables(spec, inspection.sourceModel),
          scope: spec.options.ddl ? ddlScope(spec, inspection.selection) : undefined,
          until: { kind: options.until ?? 'forever' },
          signal: options.signal,
          onEvent: (event) => emit({ type: 'incremental', event }),
        })
        return { result, detail: {} }
      })
    }
    return { copy, incremental: followed }
  } finally {
    // ending the session releases the advisory lock
    await state.end().catch(() => {})
  }
}

/** Runs one phase between its `pgshift.phases` marks; a failure is recorded, then rethrown. */
async function recordedPhase<T>(
  state: pg.Client,
  migration: string,
  name: PhaseName,
  emit: (event: ApplyEvent) => void,
  work: () => Promise<{ result: T; detail: Record<string, number> }>,
): Promise<T> {
  await startPhase(state, migration, name)
  try {
    const result = await timed(emit, name, async () => {
      const outcome = await work()
      await finishPhase(state, migration, name, { status: 'done', detail: outcome.detail })
      return outcome
    })
    return result
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await finishPhase(state, migration, name, { status: 'failed', error: message }).catch(() => {})
    throw error
  }
}

async function timed<T>(
  emit: (event: ApplyEvent) => void,
  step: ApplyStep,
  work: () => Promise<{ result: T; detail: Record<string, number> }>,
): Promise<T> {
  const started = performance.now()
  emit({ type: 'step-started', step })
  const { result, detail } = await work()
  emit({ type: 'step-done', step, detail, durationMs: Math.round(performance.now() - started) })
  return result
}

async function runDdl(
  destination: Database,
  operations: readonly Operation[],
  phase: 'pre-data' | 'post-data',
  emit: (event: ApplyEvent) => void,
  options: Pick<ApplySchemaOptions, 'parallel' | 'groupOf'> = {},
): Promise<number> {
  const step = phase === 'pre-data' ? 'schema-pre-data' : 'schema-post-data'
  return applySchemaOperations(destination, operations, {
    ...options,
    phase,
    onStatement: (statement, operation) => emit({ type: 'statement', step, operation, statement }),
  })
}

/** Maps a table id to the root of its partition tree, so one tree's builds never overlap. */
function partitionRoots(model: SchemaModel): (id: string) => string {
  const tables = new Map(model.tables.map((table) => [table.id, table]))
  return (id) => {
    const table = tables.get(id)
    return table === undefined ? id : partitionRoot(table, tables).id
  }
}

/** Top-level objects the DDL creates: the migration owns them from now on. */
function createdObjects(operations: readonly Operation[]): string[] {
  const ids = operations.filter((operation) => operation.kind.startsWith('create_')).map((operation) => operation.id)
  return [...new Set(ids)].sort()
}

async function dryRun(
  spec: MigrationSpec,
  inspection: Inspection,
  source: Database,
  emit: (event: ApplyEvent) => void,
): Promise<void> {
  const withSchema = spec.types.includes('schema')
  const ddl = (phase: 'pre-data' | 'post-data', step: ApplyStep) => {
    if (!withSchema) return
    for (const operation of inspection.schema.operations.filter((candidate) => candidate.phase === phase)) {
      for (const statement of renderOperation(operation)) emit({ type: 'dry-run', step, sql: statement.sql })
    }
  }
  ddl('pre-data', 'schema-pre-data')
  if (spec.types.includes('incremental')) {
    for (const sql of incrementalSetupStatements(spec, inspection)) emit({ type: 'dry-run', step: 'incremental-setup', sql })
  }
  if (spec.types.includes('full')) {
    for (const table of selectCopyTables(spec, inspection.sourceModel)) {
      const step = renderCopyStep(table)
      emit({ type: 'dry-run', step: 'full', sql: `${step.out}\n  -> ${step.into}` })
    }
  }
  ddl('post-data', 'schema-post-data')
  if (spec.types.includes('full')) {
    const positions = await readSequencePositions(source, inspection.sequences.map((pair) => pair.source))
    for (const [index, pair] of inspection.sequences.entries()) {
      const position = positions[index]
      if (position === undefined) continue
      emit({
        type: 'dry-run',
        step: 'sequences',
        sql: `SELECT pg_catalog.setval(${pair.destination}, ${position.lastValue}, ${position.isCalled})`,
      })
    }
  }
}

/** What the incremental set-up runs on the source, for a dry run to show. */
function incrementalSetupStatements(spec: MigrationSpec, inspection: Inspection): string[] {
  const plan = planIncremental(spec, inspection)
  const tables = selectCopyTables(spec, inspection.sourceModel).map((table) =>
    quoteQualifiedName(table.source.schema, table.source.name),
  )
  return [
    'CREATE SCHEMA IF NOT EXISTS pgshift',
    'CREATE TABLE IF NOT EXISTS pgshift.heartbeat (migration text PRIMARY KEY, beat bigint NOT NULL, beat_at timestamptz NOT NULL)',
    ...plan.replicaIdentityFull.map((table) => `ALTER TABLE ${table} REPLICA IDENTITY FULL`),
    `CREATE PUBLICATION ${quoteIdentifier(plan.publication)} FOR TABLE ${[...tables, 'pgshift.heartbeat'].join(', ')}`,
    ...(plan.ddlCapture ? ['-- DDL capture: pgshift.ddl_log, its capture function and event triggers (ddl_command_end, sql_drop, table_rewrite)'] : []),
    `CREATE_REPLICATION_SLOT ${quoteIdentifier(plan.slot)} LOGICAL pgoutput${spec.types.includes('full') ? " (SNAPSHOT 'export') -- with the full copy's snapshot" : ''}`,
  ]
}

function countFindings(findings: readonly PrecheckFinding[]): Record<string, number> {
  const errors = findings.filter((finding) => finding.severity === 'error').length
  return { errors, warnings: findings.length - errors }
}
