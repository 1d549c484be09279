import { sql } from 'kysely'
import type { RawBuilder } from 'kysely'
import type { ObjectId } from '../model/schema-model.js'
import { FIRST_NORMAL_OBJECT_ID, queryCatalog, sortedUnique } from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawDependencyKind, RawDependencyRow } from './catalog-rows.js'

/** The ids of the model's top-level objects, by the catalog oid pg_depend names them by. */
export interface DependencyTargets {
  /** Tables, views, sequences; an identity sequence maps to its table. */
  readonly relations: ReadonlyMap<number, ObjectId>
  readonly types: ReadonlyMap<number, ObjectId>
  readonly functions: ReadonlyMap<number, ObjectId>
  readonly collations: ReadonlyMap<number, ObjectId>
  /** Selected schemas only. */
  readonly schemas: ReadonlyMap<number, ObjectId>
  /** Every installed extension. */
  readonly extensions: ReadonlyMap<number, ObjectId>
}

/** Dependencies of each top-level object that has any, sorted and unique. */
export type Dependencies = ReadonlyMap<ObjectId, readonly ObjectId[]>

/** A multirange stands for its range type; pg_range.rngmultitypid exists from PostgreSQL 14. */
function multirangeJoin(serverVersion: number): RawBuilder<unknown> {
  if (serverVersion < 140000) {
    return sql`LEFT JOIN (SELECT NULL::pg_catalog.oid AS rngtypid, NULL::pg_catalog.oid AS rngmultitypid) mr ON false`
  }
  return sql`LEFT JOIN pg_catalog.pg_range mr ON mr.rngmultitypid = COALESCE(el.oid, t.oid)`
}

/**
 * `dependsOn` of every top-level object, from pg_depend in one query for the whole database.
 *
 * Both ends of each normal ('n') or automatic ('a') dependency are resolved in SQL to the
 * top-level catalog object standing for them:
 * - column defaults, view rules, constraints and indexes → their table or view (a default
 *   using a sequence makes the table depend on the sequence; a view's rule makes the view
 *   depend on what it selects from; a foreign key makes the table depend on the referenced
 *   table), a domain's constraints → the domain;
 * - array types → their element type, multiranges → their range, row types of tables and views
 *   → the table or view, a composite type's pg_class entry → the composite type;
 * - anything that belongs to an extension (a type, a function, an operator class, the plpgsql
 *   language) → the extension.
 *
 * Left out, on purpose:
 * - internal ('i'), extension ('e') and partition ('P'/'S') dependencies: they tie parts to
 *   their whole, not one object to another;
 * - OWNED BY (a sequence's automatic dependency on its column): the table needs the sequence
 *   for its default, the ownership is set afterwards and is in SequenceDef.ownedBy;
 * - triggers and policies: they are created after every table, view and function, and their
 *   function is in TriggerDef.function; counting them would only make cycles;
 * - constraint triggers' pg_constraint entries, and constraints a table inherited from a parent
 *   (the parent's own constraint carries the dependency);
 * - self-references, system objects (oid below 16384) as dependents, and objects outside the
 *   selected schemas, except extensions.
 */
export async function introspectDependencies(
  context: CatalogContext,
  targets: DependencyTargets,
): Promise<Dependencies> {
  const rows = await queryCatalog<RawDependencyRow>(
    context.db,
    sql`
      WITH edge AS (
        SELECT DISTINCT d.classid, d.objid, d.refclassid, d.refobjid
        FROM pg_catalog.pg_depend d
        LEFT JOIN pg_catalog.pg_class dc
          ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dc.oid = d.objid
        LEFT JOIN pg_catalog.pg_constraint dco
          ON d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND dco.oid = d.objid
        WHERE d.deptype IN ('n', 'a')
          AND d.objid >= ${sql.lit(FIRST_NORMAL_OBJECT_ID)}
          AND d.classid IN (
            'pg_catalog.pg_class'::pg_catalog.regclass,
            'pg_catalog.pg_type'::pg_catalog.regclass,
            'pg_catalog.pg_proc'::pg_catalog.regclass,
            'pg_catalog.pg_attrdef'::pg_catalog.regclass,
            'pg_catalog.pg_constraint'::pg_catalog.regclass,
            'pg_catalog.pg_rewrite'::pg_catalog.regclass,
            'pg_catalog.pg_collation'::pg_catalog.regclass
          )
          AND NOT COALESCE(dc.relkind = 'S' AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass, false)
          AND NOT COALESCE(dco.contype = 't' OR NOT dco.conislocal OR dco.conparentid <> 0, false)
      ),
      node AS (
        SELECT classid, objid FROM edge
        UNION
        SELECT refclassid, refobjid FROM edge
      ),
      -- 1. parts to the relation or type that owns them
      owner AS (
        SELECT
          nd.classid,
          nd.objid,
          CASE
            WHEN nd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass THEN COALESCE(ix.indrelid, nd.objid)
            WHEN nd.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN ad.adrelid
            WHEN nd.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN rw.ev_class
            WHEN nd.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN NULLIF(co.conrelid, 0)
          END AS relid,
          CASE
            WHEN nd.classid = 'pg_catalog.pg_type'::pg_catalog.regclass THEN nd.objid
            WHEN nd.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN NULLIF(co.contypid, 0)
          END AS typid
        FROM node nd
        LEFT JOIN pg_catalog.pg_index ix
          ON nd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ix.indexrelid = nd.objid
        LEFT JOIN pg_catalog.pg_attrdef ad
          ON nd.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.oid = nd.objid
        LEFT JOIN pg_catalog.pg_rewrite rw
          ON nd.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND rw.oid = nd.objid
        LEFT JOIN pg_catalog.pg_constraint co
          ON nd.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND co.oid = nd.objid
      ),
      -- 2. types and relations that stand for another object
      top AS (
        SELECT
          o.classid,
          o.objid,
          CASE
            WHEN rc.relkind = 'c' THEN NULL
            WHEN o.relid IS NOT NULL THEN o.relid
            WHEN btr.relkind <> 'c' THEN btr.oid
          END AS relid,
          CASE
            WHEN rc.relkind = 'c' THEN rc.reltype
            WHEN o.relid IS NOT NULL THEN NULL
            WHEN btr.relkind <> 'c' THEN NULL
            ELSE bt.oid
          END AS typid
        FROM owner o
        LEFT JOIN pg_catalog.pg_class rc ON rc.oid = o.relid
        LEFT JOIN pg_catalog.pg_type t ON t.oid = o.typid
        LEFT JOIN pg_catalog.pg_type el ON el.oid = t.typelem AND el.typarray = t.oid
        ${multirangeJoin(context.serverVersion)}
        LEFT JOIN pg_catalog.pg_type bt ON bt.oid = COALESCE(mr.rngtypid, el.oid, t.oid)
        LEFT JOIN pg_catalog.pg_class btr ON btr.oid = bt.typrelid
      ),
      tagged AS (
        SELECT
          tp.classid,
          tp.objid,
          CASE
            WHEN tp.relid IS NOT NULL THEN 'relation'
            WHEN tp.typid IS NOT NULL THEN 'type'
            WHEN tp.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'function'
            WHEN tp.classid = 'pg_catalog.pg_collation'::pg_catalog.regclass THEN 'collation'
            WHEN tp.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass THEN 'schema'
            WHEN tp.classid = 'pg_catalog.pg_extension'::pg_catalog.regclass THEN 'extension'
            ELSE 'other'
          END AS kind,
          CASE
            WHEN tp.relid IS NOT NULL THEN 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
            WHEN tp.typid IS NOT NULL THEN 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid
            ELSE tp.classid
          END AS top_classid,
          COALESCE(tp.relid, tp.typid, tp.objid) AS top_objid
        FROM top tp
      ),
      member AS (
        SELECT m.classid, m.objid, m.refobjid AS extension_oid
        FROM pg_catalog.pg_depend m
        WHERE m.deptype = 'e' AND m.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
      )
      SELECT DISTINCT
        a.kind AS dependent_kind,
        a.top_objid AS dependent_oid,
        b.kind AS referenced_kind,
        b.top_objid AS referenced_oid,
        COALESCE(m1.extension_oid, m2.extension_oid) AS referenced_extension
      FROM edge e
      JOIN tagged a ON a.classid = e.classid AND a.objid = e.objid
      JOIN tagged b ON b.classid = e.refclassid AND b.objid = e.refobjid
      LEFT JOIN member m0 ON m0.classid = a.top_classid AND m0.objid = a.top_objid
      LEFT JOIN member m1 ON m1.classid = e.refclassid AND m1.objid = e.refobjid
      LEFT JOIN member m2 ON m2.classid = b.top_classid AND m2.objid = b.top_objid
      WHERE a.kind <> 'other'
        AND m0.extension_oid IS NULL
        AND NOT (a.kind = b.kind AND a.top_objid = b.top_objid)
    `,
  )

  const byObject = new Map<ObjectId, ObjectId[]>()
  for (const row of rows) {
    const dependent = idOf(targets, row.dependent_kind, row.dependent_oid)
    if (dependent === undefined) continue
    const referenced =
      row.referenced_extension !== null
        ? targets.extensions.get(row.referenced_extension)
        : idOf(targets, row.referenced_kind, row.referenced_oid)
    if (referenced === undefined || referenced === dependent) continue
    const list = byObject.get(dependent)
    if (list) list.push(referenced)
    else byObject.set(dependent, [referenced])
  }
  const result = new Map<ObjectId, readonly ObjectId[]>()
  for (const [id, list] of byObject) result.set(id, sortedUnique(list))
  return result
}

function idOf(targets: DependencyTargets, kind: RawDependencyKind, oid: number): ObjectId | undefined {
  switch (kind) {
    case 'relation':
      return targets.relations.get(oid)
    case 'type':
      return targets.types.get(oid)
    case 'function':
      return targets.functions.get(oid)
    case 'collation':
      return targets.collations.get(oid)
    case 'schema':
      return targets.schemas.get(oid)
    case 'extension':
      return targets.extensions.get(oid)
    case 'other':
      return undefined
  }
}
