import { sql } from 'kysely'
import { objectId } from '../model/object-id.js'
import type { ColumnDef, ConstraintDef, IndexDef, PolicyDef, TableDef, TriggerDef } from '../model/schema-model.js'
import { commentOf, inSelectedNamespaces, notExtensionMember, queryCatalog, sortedUnique } from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawColumnRow, RawTableRow } from './catalog-rows.js'
import { toColumnDef } from './introspect-columns.js'
import type { Draft } from './draft.js'

/** The per-relation pieces the other queries produced, by relation oid. */
export interface RelationParts {
  readonly columns: ReadonlyMap<number, readonly RawColumnRow[]>
  readonly constraints: ReadonlyMap<number, readonly ConstraintDef[]>
  readonly indexes: ReadonlyMap<number, readonly IndexDef[]>
  readonly triggers: ReadonlyMap<number, readonly TriggerDef[]>
  readonly policies: ReadonlyMap<number, readonly PolicyDef[]>
}

/** Table rows of the selected schemas: ordinary and partitioned tables, partitions included. */
export async function queryTables(context: CatalogContext): Promise<RawTableRow[]> {
  return queryCatalog<RawTableRow>(
    context.db,
    sql`
      SELECT
        c.oid,
        n.nspname AS schema,
        c.relname AS name,
        c.relkind,
        c.relpersistence AS persistence,
        c.relispartition AS is_partition,
        c.reloptions AS options,
        tc.reloptions AS toast_options,
        c.relreplident AS replica_identity,
        (
          SELECT ic.relname
          FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
          WHERE i.indrelid = c.oid AND i.indisreplident
        ) AS replica_index,
        c.relrowsecurity AS row_security,
        c.relforcerowsecurity AS force_row_security,
        CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
        CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
        COALESCE((
          SELECT pg_catalog.json_agg(pg_catalog.json_build_array(pn.nspname, p.relname) ORDER BY ih.inhseqno)
          FROM pg_catalog.pg_inherits ih
          JOIN pg_catalog.pg_class p ON p.oid = ih.inhparent
          JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
          WHERE ih.inhrelid = c.oid
        ), '[]') AS parents,
        ${commentOf('pg_catalog.pg_class', 'c.oid')} AS comment
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid
      WHERE c.relkind IN ('r', 'p')
        AND ${inSelectedNamespaces(context, 'c.relnamespace')}
        AND ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
    `,
  )
}

/** Builds the tables from their rows and the per-relation parts. */
export function buildTables(rows: readonly RawTableRow[], parts: RelationParts): Draft<TableDef>[] {
  return rows.map((row) => {
    const parents = row.parents.map(([schema, name]) => objectId('table', schema, name))
    const parent = parents[0]
    const columns: ColumnDef[] = (parts.columns.get(row.oid) ?? []).map((column) =>
      toColumnDef(column, row.is_partition),
    )
    return {
      oid: row.oid,
      def: {
        id: objectId('table', row.schema, row.name),
        schema: row.schema,
        name: row.name,
        comment: row.comment,
        kind: row.relkind === 'p' ? 'partitioned' : 'table',
        persistence: row.persistence === 'u' ? 'unlogged' : 'permanent',
        columns,
        partitionKey: row.partition_key,
        partitionOf:
          row.is_partition && parent !== undefined ? { parent, bound: row.partition_bound ?? '' } : null,
        inherits: row.is_partition ? [] : parents,
        storageParameters: sortedUnique([
          ...(row.options ?? []),
          ...(row.toast_options ?? []).map((option) => `toast.${option}`),
        ]),
        replicaIdentity: replicaIdentity(row),
        rowSecurity: row.row_security,
        forceRowSecurity: row.force_row_security,
        constraints: parts.constraints.get(row.oid) ?? [],
        indexes: parts.indexes.get(row.oid) ?? [],
        triggers: parts.triggers.get(row.oid) ?? [],
        policies: parts.policies.get(row.oid) ?? [],
      },
    }
  })
}

/**
 * REPLICA IDENTITY USING INDEX names the index (same schema as the table, so unqualified and
 * unquoted). An 'i' whose index was dropped behaves as NOTHING, and is reported so.
 */
function replicaIdentity(row: RawTableRow): TableDef['replicaIdentity'] {
  switch (row.replica_identity) {
    case 'f':
      return 'full'
    case 'n':
      return 'nothing'
    case 'i':
      return row.replica_index === null ? 'nothing' : { index: row.replica_index }
    default:
      return 'default'
  }
}
