import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import { objectId } from '../model/object-id.js'
import type { TypeDef } from '../model/schema-model.js'
import {
  collationNameOf,
  commentOf,
  inSelectedNamespaces,
  notExtensionMember,
  qualifiedName,
  queryCatalog,
  sortByKey,
} from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawTypeRow } from './catalog-rows.js'
import type { Draft } from './draft.js'

/** pg_range.rngmultitypid appeared with multiranges in PostgreSQL 14. */
function multirangeName(serverVersion: number): RawBuilder<unknown> {
  if (serverVersion < 140000) return sql`NULL::text`
  return sql`(SELECT mt.typname FROM pg_catalog.pg_type mt WHERE mt.oid = r.rngmultitypid)`
}

/**
 * Enums, domains, composite types (stand-alone ones: a table's row type is the table) and
 * range types of the selected schemas. Base types (C-level CREATE TYPE), shell types, arrays
 * and multiranges are left out: the last two come with their element / range type.
 */
export async function introspectTypes(context: CatalogContext): Promise<Draft<TypeDef>[]> {
  const rows = await queryCatalog<RawTypeRow>(
    context.db,
    sql`
      SELECT
        t.oid,
        n.nspname AS schema,
        t.typname AS name,
        t.typtype,
        ${commentOf('pg_catalog.pg_type', 't.oid')} AS comment,
        CASE WHEN t.typtype = 'e' THEN ARRAY(
          SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder
        ) END AS labels,
        CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type,
        t.typnotnull AS not_null,
        CASE WHEN t.typtype = 'd' THEN pg_catalog.pg_get_expr(t.typdefaultbin, 0) END AS default_value,
        CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation
          THEN ${collationNameOf('t.typcollation')} END AS collation,
        CASE WHEN t.typtype = 'd' THEN (
          SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
            'name', co.conname,
            'definition', pg_catalog.pg_get_constraintdef(co.oid),
            'validated', co.convalidated
          ))
          FROM pg_catalog.pg_constraint co
          -- PG17+ also records a domain's NOT NULL here (contype 'n'); the model has notNull
          WHERE co.contypid = t.oid AND co.contype <> 'n'
        ) END AS constraints,
        CASE WHEN t.typtype = 'c' THEN (
          SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
            'attnum', a.attnum,
            'name', a.attname,
            'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
            'collation', CASE WHEN a.attcollation <> at.typcollation THEN ${collationNameOf('a.attcollation')} END
          ))
          FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
          WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
        ) END AS attributes,
        pg_catalog.format_type(r.rngsubtype, NULL) AS subtype,
        (
          SELECT pg_catalog.json_build_array(ocn.nspname, oc.opcname)
          FROM pg_catalog.pg_opclass oc
          JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
          WHERE oc.oid = r.rngsubopc AND NOT oc.opcdefault
        ) AS subtype_opclass,
        CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
          THEN ${collationNameOf('r.rngcollation')} END AS range_collation,
        (
          SELECT pg_catalog.json_build_array(pn.nspname, p.proname)
          FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
          WHERE p.oid = r.rngcanonical
        ) AS canonical,
        (
          SELECT pg_catalog.json_build_array(pn.nspname, p.proname)
          FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
          WHERE p.oid = r.rngsubdiff
        ) AS subtype_diff,
        ${multirangeName(context.serverVersion)} AS multirange_name
      FROM pg_catalog.pg_type t
      JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
      LEFT JOIN pg_catalog.pg_class tr ON tr.oid = t.typrelid
      LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
      LEFT JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
      WHERE ${inSelectedNamespaces(context, 't.typnamespace')}
        AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND tr.relkind = 'c'))
        AND ${notExtensionMember('pg_catalog.pg_type', 't.oid')}
    `,
  )
  return rows.map((row) => ({ oid: row.oid, def: toTypeDef(row) }))
}

function toTypeDef(row: RawTypeRow): Draft<TypeDef>['def'] {
  const base = {
    id: objectId('type', row.schema, row.name),
    schema: row.schema,
    name: row.name,
    comment: row.comment,
  }
  switch (row.typtype) {
    case 'e':
      return { ...base, kind: 'enum', labels: row.labels ?? [] }
    case 'd':
      return {
        ...base,
        kind: 'domain',
        baseType: row.base_type ?? '',
        notNull: row.not_null,
        default: row.default_value,
        collation: qualifiedName(row.collation),
        constraints: sortByKey(row.constraints ?? [], (c) => c.name).map((c) => ({
          name: c.name,
          definition: c.definition,
          validated: c.validated,
        })),
      }
    case 'c':
      return {
        ...base,
        kind: 'composite',
        attributes: [...(row.attributes ?? [])]
          .sort((a, b) => a.attnum - b.attnum)
          .map((a) => ({ name: a.name, type: a.type, collation: qualifiedName(a.collation) })),
      }
    case 'r':
      return {
        ...base,
        kind: 'range',
        subtype: row.subtype ?? '',
        subtypeOpclass: qualifiedName(row.subtype_opclass),
        collation: qualifiedName(row.range_collation),
        canonical: qualifiedName(row.canonical),
        subtypeDiff: qualifiedName(row.subtype_diff),
        multirangeName: row.multirange_name,
      }
  }
}
