import { sql } from 'kysely'
import { objectId } from '../model/object-id.js'
import type { ConstraintDef, ConstraintKind } from '../model/schema-model.js'
import {
  commentOf,
  inSelectedNamespaces,
  namedPerRelation,
  notExtensionMember,
  queryCatalog,
} from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawConstraintRow } from './catalog-rows.js'

const KINDS: Readonly<Record<string, ConstraintKind>> = {
  p: 'primary_key',
  u: 'unique',
  f: 'foreign_key',
  c: 'check',
  x: 'exclusion',
}

/**
 * Table constraints of the selected schemas, by table oid, sorted by name.
 *
 * Left out: constraints a table only has because a parent has them (conislocal false: a
 * partition's copy of its parent's primary key, an INHERITS child's copy of a CHECK; and every
 * constraint with a conparentid, such as the per-partition clones of a foreign key that
 * references a partitioned table) — creating the parent's constraint makes them again. Also left
 * out: constraint triggers (contype 't', listed as triggers) and PG18's NOT NULL constraints
 * (contype 'n', the column's notNull).
 */
export async function introspectConstraints(context: CatalogContext): Promise<Map<number, ConstraintDef[]>> {
  const rows = await queryCatalog<RawConstraintRow>(
    context.db,
    sql`
      SELECT
        co.conrelid AS relid,
        co.conname AS name,
        co.contype,
        pg_catalog.pg_get_constraintdef(co.oid) AS definition,
        -- conkey is in key order; 0 stands for an expression (exclusion constraints) and is skipped
        ARRAY(
          SELECT a.attname
          FROM pg_catalog.unnest(co.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum
          ORDER BY k.ord
        ) AS columns,
        CASE WHEN co.contype = 'f' THEN (
          SELECT pg_catalog.json_build_array(rn.nspname, rc.relname)
          FROM pg_catalog.pg_class rc JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
          WHERE rc.oid = co.confrelid
        ) END AS references,
        co.condeferrable AS deferrable,
        co.condeferred AS deferred,
        co.convalidated AS validated,
        ${commentOf('pg_catalog.pg_constraint', 'co.oid')} AS comment
      FROM pg_catalog.pg_constraint co
      JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
      WHERE co.contype IN ('p', 'u', 'f', 'c', 'x')
        AND co.conislocal
        AND co.conparentid = 0
        AND c.relkind IN ('r', 'p')
        AND ${inSelectedNamespaces(context, 'c.relnamespace')}
        AND ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
    `,
  )
  const byTable = namedPerRelation(rows, (row): ConstraintDef => ({
    name: row.name,
    kind: KINDS[row.contype] ?? 'check',
    definition: row.definition,
    columns: row.columns,
    references: row.references === null ? null : objectId('table', row.references[0], row.references[1]),
    deferrable: row.deferrable,
    initiallyDeferred: row.deferred,
    validated: row.validated,
    comment: row.comment,
  }))
  return byTable
}
