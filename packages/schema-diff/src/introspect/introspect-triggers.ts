import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import { functionId } from '../model/object-id.js'
import type { TriggerDef } from '../model/schema-model.js'
import {
  commentOf,
  inSelectedNamespaces,
  namedPerRelation,
  notExtensionMember,
  queryCatalog,
} from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawTriggerRow } from './catalog-rows.js'

/**
 * PG13+ clones a partitioned table's row triggers onto its partitions as ordinary
 * (non-internal) triggers with tgparentid set; creating the parent's trigger makes them again,
 * so they are left out like inherited constraints. PG12 marks the clones internal instead.
 */
function notCloned(serverVersion: number): RawBuilder<unknown> {
  return serverVersion >= 130000 ? sql`tg.tgparentid = 0` : sql`true`
}

/**
 * User triggers (constraint triggers included) of the tables and views of the selected
 * schemas, by relation oid, sorted by name. Internal triggers — the ones enforcing foreign keys —
 * are left out: the constraint makes them.
 */
export async function introspectTriggers(context: CatalogContext): Promise<Map<number, TriggerDef[]>> {
  const rows = await queryCatalog<RawTriggerRow>(
    context.db,
    sql`
      SELECT
        tg.tgrelid AS relid,
        tg.tgname AS name,
        pg_catalog.pg_get_triggerdef(tg.oid) AS definition,
        tg.tgenabled AS enabled,
        tg.tgconstraint <> 0 AS is_constraint,
        pn.nspname AS function_schema,
        p.proname AS function_name,
        pg_catalog.pg_get_function_identity_arguments(p.oid) AS function_arguments,
        ${commentOf('pg_catalog.pg_trigger', 'tg.oid')} AS comment
      FROM pg_catalog.pg_trigger tg
      JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
      JOIN pg_catalog.pg_proc p ON p.oid = tg.tgfoid
      JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
      WHERE NOT tg.tgisinternal
        AND ${notCloned(context.serverVersion)}
        AND c.relkind IN ('r', 'p', 'v', 'm')
        AND ${inSelectedNamespaces(context, 'c.relnamespace')}
        AND ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
    `,
  )
  const byRelation = namedPerRelation(rows, (row): TriggerDef => ({
    name: row.name,
    definition: row.definition,
    enabled: row.enabled,
    isConstraint: row.is_constraint,
    function: functionId(row.function_schema, row.function_name, row.function_arguments),
    comment: row.comment,
  }))
  return byRelation
}
