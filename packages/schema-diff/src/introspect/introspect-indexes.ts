import { sql } from 'kysely'
import type { IndexDef } from '../model/schema-model.js'
import {
  commentOf,
  inSelectedNamespaces,
  namedPerRelation,
  notExtensionMember,
  qualifiedName,
  queryCatalog,
} from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawIndexRow } from './catalog-rows.js'

/**
 * Indexes of the tables, partitioned tables and materialized views of the selected schemas,
 * by relation oid, sorted by name. Indexes that implement a primary key, unique or exclusion
 * constraint are left out: the constraint creates them. An index of a partition that is
 * attached to an index of its parent names that parent in `parentIndex`.
 */
export async function introspectIndexes(context: CatalogContext): Promise<Map<number, IndexDef[]>> {
  const rows = await queryCatalog<RawIndexRow>(
    context.db,
    sql`
      SELECT
        i.indrelid AS relid,
        ic.relname AS name,
        pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
        i.indisunique AS is_unique,
        -- indkey: key columns, then INCLUDE columns; 0 stands for an expression
        ARRAY(
          SELECT a.attname
          FROM pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, ord)
          LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
          ORDER BY k.ord
        ) AS columns,
        i.indnkeyatts::int AS key_count,
        am.amname AS method,
        pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
        i.indexprs IS NOT NULL AS has_expressions,
        i.indisvalid AS is_valid,
        (
          SELECT pg_catalog.json_build_array(pn.nspname, p.relname)
          FROM pg_catalog.pg_inherits ih
          JOIN pg_catalog.pg_class p ON p.oid = ih.inhparent
          JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
          WHERE ih.inhrelid = i.indexrelid
        ) AS parent_index,
        ${commentOf('pg_catalog.pg_class', 'i.indexrelid')} AS comment
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
      JOIN pg_catalog.pg_am am ON am.oid = ic.relam
      WHERE c.relkind IN ('r', 'p', 'm')
        AND ${inSelectedNamespaces(context, 'c.relnamespace')}
        AND ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
        AND NOT EXISTS (
          -- conrelid too: a foreign key's conindid is the index it references on another table
          SELECT FROM pg_catalog.pg_constraint co
          WHERE co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')
        )
    `,
  )
  const byRelation = namedPerRelation(rows, (row): IndexDef => ({
    name: row.name,
    definition: row.definition,
    unique: row.is_unique,
    columns: row.columns,
    keyCount: row.key_count,
    method: row.method,
    predicate: row.predicate,
    hasExpressions: row.has_expressions,
    valid: row.is_valid,
    parentIndex: qualifiedName(row.parent_index),
    comment: row.comment,
  }))
  return byRelation
}
