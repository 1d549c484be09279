import { sql } from 'kysely'
import type { ColumnDef, IdentityDef } from '../model/schema-model.js'
import {
  collationNameOf,
  commentOf,
  groupBy,
  inSelectedNamespaces,
  notExtensionMember,
  qualifiedName,
  queryCatalog,
} from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawColumnRow, RawIdentitySequenceRow } from './catalog-rows.js'

const STORAGE: Readonly<Record<string, string>> = { p: 'plain', e: 'external', x: 'extended', m: 'main' }

/**
 * Columns of every table, partitioned table, view and materialized view of the selected
 * schemas, by relation oid, in attnum order (dropped columns left out).
 */
export async function introspectColumns(context: CatalogContext): Promise<Map<number, RawColumnRow[]>> {
  const rows = await queryCatalog<RawColumnRow>(
    context.db,
    sql`
      SELECT
        a.attrelid AS relid,
        a.attnum,
        a.attname AS name,
        pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
        a.attnotnull AS not_null,
        pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS expression,
        a.attgenerated AS generated,
        a.attidentity AS identity,
        idseq.sequence AS identity_sequence,
        CASE WHEN a.attcollation <> t.typcollation THEN ${collationNameOf('a.attcollation')} END AS collation,
        CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage,
        -- PG17 made attstattarget NULL for "default"; before it was -1
        CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::int END AS statistics,
        a.attislocal AS is_local,
        a.attinhcount::int AS inherit_count,
        ${commentOf('pg_catalog.pg_class', 'a.attrelid', 'a.attnum')} AS comment
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      LEFT JOIN (
        -- an identity column owns its sequence through an internal dependency
        SELECT
          d.refobjid AS relid,
          d.refobjsubid AS attnum,
          pg_catalog.json_build_object(
            'oid', sc.oid,
            'name', sc.relname,
            'start', s.seqstart::text,
            'increment', s.seqincrement::text,
            'min', s.seqmin::text,
            'max', s.seqmax::text,
            'cache', s.seqcache::text,
            'cycle', s.seqcycle
          ) AS sequence
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_class sc ON sc.oid = d.objid AND sc.relkind = 'S'
        JOIN pg_catalog.pg_sequence s ON s.seqrelid = sc.oid
        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
          AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
          AND d.refobjsubid > 0
          AND d.deptype = 'i'
      ) idseq ON idseq.relid = a.attrelid AND idseq.attnum = a.attnum AND a.attidentity <> ''
      WHERE a.attnum > 0
        AND NOT a.attisdropped
        AND c.relkind IN ('r', 'p', 'v', 'm')
        AND ${inSelectedNamespaces(context, 'c.relnamespace')}
        AND ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
    `,
  )
  const byRelation = groupBy(rows, (row) => row.relid)
  for (const columns of byRelation.values()) columns.sort((a, b) => a.attnum - b.attnum)
  return byRelation
}

/**
 * A table column. A partition's columns are always its parent's, so they count as inherited
 * even when the partition was created on its own and ATTACHed later (which leaves attislocal
 * true in the catalog): the same partition then looks the same however it was made.
 */
export function toColumnDef(row: RawColumnRow, isPartition: boolean): ColumnDef {
  const generated = row.generated !== ''
  return {
    name: row.name,
    type: row.type,
    notNull: row.not_null,
    default: generated ? null : row.expression,
    identity:
      row.identity === '' || row.identity_sequence === null
        ? null
        : toIdentityDef(row.identity, row.identity_sequence),
    generated: generated ? row.expression : null,
    collation: qualifiedName(row.collation),
    storage: row.storage === null ? null : (STORAGE[row.storage] ?? row.storage),
    statistics: row.statistics,
    comment: row.comment,
    inherited: row.inherit_count > 0 && (!row.is_local || isPartition),
  }
}

function toIdentityDef(identity: string, sequence: RawIdentitySequenceRow): IdentityDef {
  return {
    generation: identity === 'a' ? 'always' : 'by default',
    sequenceName: sequence.name,
    start: sequence.start,
    increment: sequence.increment,
    min: sequence.min,
    max: sequence.max,
    cache: sequence.cache,
    cycle: sequence.cycle,
  }
}
