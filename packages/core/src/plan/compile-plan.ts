import { quoteQualifiedName, renderOperation } from '@pgshift/schema-diff'
import type { HazardCode, Operation } from '@pgshift/schema-diff'
import { renderCopyStep, selectCopyTables } from '../copy/index.js'
import type { TableSize, TableToCopy } from '../copy/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { inspectionNotes } from './inspect-databases.js'
import type { Inspection } from './inspect-databases.js'
import { inspectionFingerprint } from './plan-fingerprint.js'
import { PLAN_VERSION } from './plan.js'
import { planIncremental } from './plan-incremental.js'
import type { Plan, PlanCopyTable, PlanOperation } from './plan.js'

/** The catalog's size estimates of the tables to copy, by source table id. */
export type CopyEstimates = ReadonlyMap<string, TableSize>

/**
 * Turns what the inspection found into the reviewed plan (DESIGN.md §4). Pure: everything with
 * I/O happened before (introspection, prechecks, size estimates), so the same inputs always
 * give the same plan.
 */
export function compilePlan(spec: MigrationSpec, inspection: Inspection, estimates: CopyEstimates): Plan {
  const { schema } = inspection
  const withSchema = spec.types.includes('schema')
  const operations = withSchema ? schema.operations : []
  const preData = operations.filter((operation) => operation.phase === 'pre-data').map(planOperation)
  const postData = operations.filter((operation) => operation.phase === 'post-data').map(planOperation)
  const copyTables = spec.types.includes('full')
    ? selectCopyTables(spec, inspection.sourceModel).map((table) => planCopyTable(table, estimates, spec))
    : []
  const errors = inspection.findings.filter((finding) => finding.severity === 'error').length
  const rows = copyTables.map((table) => table.estimatedRows)
  return {
    planVersion: PLAN_VERSION,
    migration: {
      name: spec.metadata.name,
      description: spec.metadata.description,
      types: spec.types,
      conflicts: spec.conflicts,
    },
    source: { url: spec.source.url.redacted, serverVersion: inspection.sourceModel.serverVersion },
    destination: { url: spec.destination.url.redacted, serverVersion: inspection.destinationModel.serverVersion },
    fingerprint: inspectionFingerprint(spec, inspection),
    summary: {
      tables: copyTables.length,
      estimatedRows: rows.some((count) => count === null) ? null : rows.reduce<number>((sum, count) => sum + (count ?? 0), 0),
      estimatedBytes: copyTables.reduce((sum, table) => sum + table.estimatedBytes, 0),
      preDataStatements: preData.reduce((sum, operation) => sum + operation.sql.length, 0),
      postDataStatements: postData.reduce((sum, operation) => sum + operation.sql.length, 0),
      hazards: countHazards(operations),
      errors,
      warnings: inspection.findings.length - errors,
    },
    prechecks: inspection.findings.map(({ measured: _measured, ...finding }) => finding),
    fidelity: inspection.fidelity,
    notes: inspectionNotes(inspection),
    schema: { lockAware: inspection.lockAware, preData, postData },
    copy: spec.types.includes('full')
      ? {
          parallelTables: spec.options.parallel.tables,
          splitLargerThanBytes: spec.options.parallel.splitLargerThanBytes,
          tables: copyTables,
        }
      : null,
    sequences: spec.types.includes('full')
      ? inspection.sequences.map((pair) => ({ label: pair.label, source: pair.source, destination: pair.destination }))
      : [],
    incremental: spec.types.includes('incremental') ? planIncremental(spec, inspection) : null,
    cutover: cutoverSteps(spec),
  }
}

function planOperation(operation: Operation): PlanOperation {
  const statements = renderOperation(operation)
  return {
    kind: operation.kind,
    id: operation.id,
    sql: statements.map((statement) => statement.sql),
    hazards: operation.hazards,
    transactional: statements.every((statement) => statement.transactional),
    lockTimeoutMs: statements.find((statement) => statement.lockTimeoutMs !== undefined)?.lockTimeoutMs ?? null,
    note: operation.note ?? null,
  }
}

function planCopyTable(table: TableToCopy, estimates: CopyEstimates, spec: MigrationSpec): PlanCopyTable {
  const size = estimates.get(table.tableId) ?? { bytes: 0, rows: null, pages: 0 }
  const threshold = spec.options.parallel.splitLargerThanBytes
  const split = threshold > 0 && size.bytes > threshold ? (table.keyColumn !== null ? 'key' : 'pages') : 'none'
  const chunks = split === 'none' ? 1 : Math.max(1, Math.min(Math.ceil(size.bytes / threshold), 256, split === 'pages' ? size.pages : 256))
  const step = renderCopyStep(table)
  return {
    source: quoteQualifiedName(table.source.schema, table.source.name),
    destination: quoteQualifiedName(table.destination.schema, table.destination.name),
    columns: table.columns,
    where: table.whereSql,
    copyOut: step.out,
    copyIn: step.into,
    estimatedRows: size.rows === null ? null : Math.round(size.rows),
    estimatedBytes: size.bytes,
    split: chunks > 1 ? split : 'none',
    chunks,
  }
}

function countHazards(operations: readonly Operation[]): Record<HazardCode, number> {
  const counts: Record<HazardCode, number> = { destructive: 0, rewrite: 0, locks: 0, 'unsafe-cast': 0 }
  for (const operation of operations) {
    for (const code of new Set(operation.hazards.map((hazard) => hazard.code))) counts[code]++
  }
  return counts
}

function cutoverSteps(spec: MigrationSpec): string[] {
  const steps: string[] = []
  if (spec.types.includes('incremental')) {
    steps.push('wait until the destination has applied every change up to the source\'s current WAL position')
  }
  steps.push("set the destination's sequences to the source's values (plus the optional safety gap)")
  if (spec.types.includes('incremental')) {
    steps.push('stop applying changes; drop the replication slot and the publication on the source')
    if (spec.options.ddl) steps.push('drop the DDL-capture event trigger and its table on the source')
    steps.push('restore the replica identity of tables the migration set to FULL')
  }
  steps.push('with --revoke-writes ROLE: revoke that role\'s write privileges on the migrated destination tables')
  return steps
}
