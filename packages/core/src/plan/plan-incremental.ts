import { replicationSlotName } from '../copy/index.js'
import { replicaIdentityColumns, tablesById } from '../precheck/table-keys.js'
import type { MigrationSpec } from '../spec/index.js'
import type { Inspection } from './inspect-databases.js'
import type { PlanIncremental } from './plan.js'

/**
 * The incremental set-up: publication and slot named after the migration, the selected tables
 * that need REPLICA IDENTITY FULL (no primary key or identity index: their UPDATE and DELETE
 * would otherwise fail on the source once published), and whether DDL is captured.
 */
export function planIncremental(spec: MigrationSpec, inspection: Inspection): PlanIncremental {
  const tables = tablesById(inspection.sourceModel.tables)
  const replicaIdentityFull = inspection.selection.tables
    .filter((selected) => selected.table.kind === 'table')
    .filter((selected) => replicaIdentityColumns(selected.table, tables) === undefined)
    .map((selected) => selected.sourceName)
  const slot = replicationSlotName(spec.metadata.name)
  return { publication: slot, slot, replicaIdentityFull, ddlCapture: spec.options.ddl }
}
