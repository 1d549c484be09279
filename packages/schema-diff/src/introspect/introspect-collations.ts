import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import { objectId } from '../model/object-id.js'
import type { CollationDef } from '../model/schema-model.js'
import { commentOf, inSelectedNamespaces, notExtensionMember, queryCatalog } from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawCollationRow } from './catalog-rows.js'
import type { Draft } from './draft.js'

const PROVIDERS: Readonly<Record<string, string>> = { c: 'libc', i: 'icu', d: 'default', b: 'builtin' }

/**
 * Where the locale lives moved twice: PG12-14 keep an ICU locale in collcollate/collctype,
 * PG15-16 in colliculocale, PG17+ in colllocale (also used by the builtin provider). The model
 * keeps one shape for all: `locale` for ICU/builtin, `lcCollate`/`lcCtype` for libc.
 */
function localeColumns(serverVersion: number): RawBuilder<unknown> {
  if (serverVersion >= 170000) {
    return sql`c.colllocale AS locale, c.collcollate AS lc_collate, c.collctype AS lc_ctype`
  }
  if (serverVersion >= 150000) {
    return sql`c.colliculocale AS locale, c.collcollate AS lc_collate, c.collctype AS lc_ctype`
  }
  return sql`
    CASE WHEN c.collprovider = 'i' THEN c.collcollate END AS locale,
    CASE WHEN c.collprovider <> 'i' THEN c.collcollate END AS lc_collate,
    CASE WHEN c.collprovider <> 'i' THEN c.collctype END AS lc_ctype
  `
}

/** User-defined collations of the selected schemas. */
export async function introspectCollations(context: CatalogContext): Promise<Draft<CollationDef>[]> {
  const rows = await queryCatalog<RawCollationRow>(
    context.db,
    sql`
      SELECT
        c.oid,
        n.nspname AS schema,
        c.collname AS name,
        c.collprovider AS provider,
        ${localeColumns(context.serverVersion)},
        c.collisdeterministic AS deterministic,
        ${commentOf('pg_catalog.pg_collation', 'c.oid')} AS comment
      FROM pg_catalog.pg_collation c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
      WHERE ${inSelectedNamespaces(context, 'c.collnamespace')}
        AND ${notExtensionMember('pg_catalog.pg_collation', 'c.oid')}
    `,
  )
  return rows.map((row) => ({
    oid: row.oid,
    def: {
      id: objectId('collation', row.schema, row.name),
      schema: row.schema,
      name: row.name,
      comment: row.comment,
      provider: PROVIDERS[row.provider] ?? row.provider,
      locale: row.locale,
      lcCollate: row.lc_collate,
      lcCtype: row.lc_ctype,
      deterministic: row.deterministic,
    },
  }))
}
