import { sql } from 'kysely'
import { objectId } from '../model/object-id.js'
import type { SequenceDef } from '../model/schema-model.js'
import { commentOf, inSelectedNamespaces, notExtensionMember, queryCatalog } from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawSequenceRow } from './catalog-rows.js'
import type { Draft } from './draft.js'

/**
 * Sequences of the selected schemas, with their OWNED BY column. Identity sequences (an
 * internal dependency, deptype 'i', on their column) are left out: they are part of the
 * column's IdentityDef.
 */
export async function introspectSequences(context: CatalogContext): Promise<Draft<SequenceDef>[]> {
  const rows = await queryCatalog<RawSequenceRow>(
    context.db,
    sql`
      SELECT
        c.oid,
        n.nspname AS schema,
        c.relname AS name,
        pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
        s.seqstart::text AS start,
        s.seqincrement::text AS increment,
        s.seqmin::text AS min,
        s.seqmax::text AS max,
        s.seqcache::text AS cache,
        s.seqcycle AS cycle,
        CASE WHEN oc.oid IS NOT NULL THEN pg_catalog.json_build_array(ocn.nspname, oc.relname) END AS owner_table,
        oa.attname AS owner_column,
        -- SERIAL is "owned by the column whose default is its nextval"; the regclass text and
        -- pg_get_expr are printed under the same search_path, so the comparison is exact
        COALESCE(
          pg_catalog.pg_get_expr(oad.adbin, oad.adrelid)
            = 'nextval(' || pg_catalog.quote_literal(c.oid::pg_catalog.regclass::text) || '::regclass)',
          false
        ) AS is_serial,
        ${commentOf('pg_catalog.pg_class', 'c.oid')} AS comment
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
      LEFT JOIN pg_catalog.pg_depend od
        ON od.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND od.objid = c.oid
        AND od.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND od.refobjsubid > 0
        AND od.deptype IN ('a', 'i')
      LEFT JOIN pg_catalog.pg_class oc ON oc.oid = od.refobjid
      LEFT JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.relnamespace
      LEFT JOIN pg_catalog.pg_attribute oa ON oa.attrelid = od.refobjid AND oa.attnum = od.refobjsubid
      LEFT JOIN pg_catalog.pg_attrdef oad ON oad.adrelid = od.refobjid AND oad.adnum = od.refobjsubid
      WHERE c.relkind = 'S'
        AND ${inSelectedNamespaces(context, 'c.relnamespace')}
        AND ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
        AND od.deptype IS DISTINCT FROM 'i'
    `,
  )
  return rows.map((row) => ({
    oid: row.oid,
    def: {
      id: objectId('sequence', row.schema, row.name),
      schema: row.schema,
      name: row.name,
      comment: row.comment,
      dataType: row.data_type,
      start: row.start,
      increment: row.increment,
      min: row.min,
      max: row.max,
      cache: row.cache,
      cycle: row.cycle,
      ownedBy:
        row.owner_table === null || row.owner_column === null
          ? null
          : { table: objectId('table', row.owner_table[0], row.owner_table[1]), column: row.owner_column },
      isSerial: row.is_serial,
    },
  }))
}
