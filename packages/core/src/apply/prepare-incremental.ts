import type pg from 'pg'
import { replicationSlotName, selectCopyTables } from '../copy/index.js'
import { ensurePublication } from '../incremental/create-publication.js'
import { ddlScope, installDdlCapture } from '../incremental/ddl/index.js'
import { readReplicaIdentities, setReplicaIdentityFull } from '../incremental/replica-identity.js'
import { ensureHeartbeatTable, HEARTBEAT_TABLE } from '../incremental/source-objects.js'
import type { Inspection } from '../plan/index.js'
import { planIncremental } from '../plan/index.js'
import type { Database } from '../pg/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { readReplication, recordDdlScope, recordReplicaIdentityChanges, registerReplication } from '../state/index.js'
import type { ApplyEvent } from './apply-event.js'

/**
 * The incremental set-up on the source, before any row is copied: the heartbeat table,
 * REPLICA IDENTITY FULL where the plan says (the previous identity recorded on the destination
 * first, so a kill in between cannot lose it), and the publication of exactly the selected
 * tables. The publication must exist before the slot: changes are decoded against the catalog
 * as of their commit. Without a full copy the slot is created here (with it, the copy creates
 * it with its snapshot). Idempotent.
 */
export async function prepareIncremental(
  spec: MigrationSpec,
  inspection: Inspection,
  source: Database,
  state: pg.ClientBase,
  emit: (event: ApplyEvent) => void,
): Promise<Record<string, number>> {
  const migration = spec.metadata.name
  const plan = planIncremental(spec, inspection)
  await registerReplication(state, migration, { slotName: plan.slot, publication: plan.publication })
  const record = await readReplication(state, migration)
  if (record?.status === 'cut-over' || record?.status === 'aborted') {
    throw new Error(
      `migration ${migration} was ${record.status === 'cut-over' ? 'cut over' : 'aborted'}: its replication is ` +
        'gone; start a new migration (another metadata.name) to migrate again',
    )
  }
  await ensureHeartbeatTable(source.pool, migration)

  const full = new Set(plan.replicaIdentityFull)
  const needFull = inspection.selection.tables
    .filter((selected) => full.has(selected.sourceName))
    .map((selected) => ({ schema: selected.table.schema, name: selected.table.name }))
  const identities = await readReplicaIdentities(source.pool, needFull)
  await recordReplicaIdentityChanges(state, migration, identities)
  await setReplicaIdentityFull(source.pool, identities)
  for (const change of identities.filter((candidate) => candidate.previous !== 'f')) {
    emit({ type: 'note', code: 'REPLICA_IDENTITY_FULL', message: `set REPLICA IDENTITY FULL on ${change.table} (restored at cutover)` })
  }

  const tables = selectCopyTables(spec, inspection.sourceModel)
  await ensurePublication(source.pool, plan.publication, [
    ...tables.map((table) => table.source),
    HEARTBEAT_TABLE,
  ])
  if (spec.options.ddl) {
    // before the slot: DDL committed after its consistent point must be in the log it streams
    // (the install adds the log table to the publication)
    const scope = ddlScope(spec, inspection.selection)
    await recordDdlScope(state, migration, scope.toJSON(), { onlyIfUnset: true })
    const client = await source.pool.connect()
    try {
      await installDdlCapture(client, { migration, publication: plan.publication, scope })
    } finally {
      client.release()
    }
  }
  if (!spec.types.includes('full')) {
    await source.pool.query(
      `SELECT pg_catalog.pg_create_logical_replication_slot($1, 'pgoutput')
        WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_replication_slots WHERE slot_name = $1)`,
      [replicationSlotName(migration)],
    )
  }
  return { tables: tables.length, replicaIdentityFull: identities.length }
}
