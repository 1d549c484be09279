import { sql } from 'kysely'
import { objectId } from '../model/object-id.js'
import type { ViewDef } from '../model/schema-model.js'
import { commentOf, inSelectedNamespaces, notExtensionMember, queryCatalog, sortedUnique } from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawViewRow } from './catalog-rows.js'
import type { Draft } from './draft.js'
import type { RelationParts } from './introspect-tables.js'

/** View and materialized view rows of the selected schemas. */
export async function queryViews(context: CatalogContext): Promise<RawViewRow[]> {
  return queryCatalog<RawViewRow>(
    context.db,
    sql`
      SELECT
        c.oid,
        n.nspname AS schema,
        c.relname AS name,
        c.relkind,
        pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
        c.reloptions AS options,
        ${commentOf('pg_catalog.pg_class', 'c.oid')} AS comment
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm')
        AND ${inSelectedNamespaces(context, 'c.relnamespace')}
        AND ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
    `,
  )
}

/** Builds the views from their rows and the per-relation parts (columns, indexes, triggers). */
export function buildViews(rows: readonly RawViewRow[], parts: RelationParts): Draft<ViewDef>[] {
  return rows.map((row) => {
    const columns = parts.columns.get(row.oid) ?? []
    const columnComments: Record<string, string> = {}
    for (const column of columns) if (column.comment !== null) columnComments[column.name] = column.comment
    return {
      oid: row.oid,
      def: {
        id: objectId('view', row.schema, row.name),
        schema: row.schema,
        name: row.name,
        comment: row.comment,
        kind: row.relkind === 'm' ? 'materialized' : 'view',
        definition: row.definition,
        columns: columns.map((column) => ({ name: column.name, type: column.type })),
        options: sortedUnique(row.options ?? []),
        indexes: parts.indexes.get(row.oid) ?? [],
        triggers: parts.triggers.get(row.oid) ?? [],
        columnComments,
      },
    }
  })
}
