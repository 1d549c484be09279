import { sql } from 'kysely'
import type { Kysely, RawBuilder } from 'kysely'
import { quoteQualifiedName } from '../sql/quote-identifier.js'
import type { RawQualifiedName } from './catalog-rows.js'

/** What every catalog query of one introspection run shares. */
export interface CatalogContext {
  /** The read-only repeatable-read transaction every query runs in. */
  readonly db: Kysely<any>
  /** server_version_num, for query variants of catalog columns that newer majors added. */
  readonly serverVersion: number
  /** pg_namespace oids of the selected schemas. */
  readonly namespaceOids: readonly number[]
}

/** The first oid PostgreSQL hands out after initdb: anything below belongs to the system. */
export const FIRST_NORMAL_OBJECT_ID = 16384

/**
 * Runs a catalog query and returns its rows, each shipped from the server as one JSON text.
 *
 * Why JSON: the Kysely instance is the caller's, and its pg pool may parse types its own way
 * (identity parsers that keep replication values raw, BigInt for int8, ...). `text` is the one
 * type every configuration hands back untouched, and JSON keeps booleans, numbers, arrays,
 * NULLs and nested records exact. int8 values are cast to text in the queries, so no precision
 * is lost in JSON numbers.
 */
export async function queryCatalog<Row>(db: Kysely<any>, query: RawBuilder<unknown>): Promise<Row[]> {
  const result = await sql<{ row: string }>`
    SELECT pg_catalog.row_to_json(q)::text AS row FROM (${query}) AS q
  `.execute(db)
  return result.rows.map((row) => JSON.parse(row.row) as Row)
}

/** SQL fragment: `${column} = ANY(<selected namespace oids>)`. */
export function inSelectedNamespaces(context: CatalogContext, column: string): RawBuilder<unknown> {
  return sql`${sql.raw(column)} = ANY(${[...context.namespaceOids]}::pg_catalog.oid[])`
}

/**
 * SQL fragment: the object `objid` of catalog `catalog` is not a member of an extension.
 * Extension members are the extension's business: CREATE EXTENSION makes them, so they are
 * never listed (an object that uses one depends on the extension instead).
 */
export function notExtensionMember(catalog: string, objid: string): RawBuilder<unknown> {
  return sql`NOT EXISTS (
    SELECT FROM pg_catalog.pg_depend ext
    WHERE ext.classid = ${sql.lit(catalog)}::pg_catalog.regclass
      AND ext.objid = ${sql.raw(objid)}
      AND ext.deptype = 'e'
  )`
}

/** SQL fragment: the comment of `objoid` in `catalog` (sub-object `objsubid`), as a scalar. */
export function commentOf(catalog: string, objoid: string, objsubid = '0'): RawBuilder<unknown> {
  return sql`(
    SELECT dsc.description FROM pg_catalog.pg_description dsc
    WHERE dsc.classoid = ${sql.lit(catalog)}::pg_catalog.regclass
      AND dsc.objoid = ${sql.raw(objoid)}
      AND dsc.objsubid = ${sql.raw(objsubid)}
  )`
}

/**
 * Byte-order-like comparison of two strings (UTF-16 code units, the `<` operator), never
 * locale-dependent, so that every machine sorts the model the same way.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A sorted copy, by `key` with {@link compareText}. */
export function sortByKey<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareText(key(a), key(b)))
}

/** Sorted, duplicates removed. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText)
}

/** `schema.name`, quoted as SQL quotes it, or null. */
export function qualifiedName(name: RawQualifiedName | null): string | null {
  return name === null ? null : quoteQualifiedName(name[0], name[1])
}

/** Groups rows by a numeric key (a relation oid), keeping their order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group) group.push(row)
    else groups.set(k, [row])
  }
  return groups
}

/** Rows of per-relation objects (constraints, indexes...), grouped by relation, sorted by name. */
export function namedPerRelation<R extends { relid: number; name: string }, T>(
  rows: readonly R[],
  toDef: (row: R) => T,
): Map<number, T[]> {
  const byRelation = new Map<number, T[]>()
  for (const [relid, group] of groupBy(rows, (row) => row.relid)) {
    byRelation.set(relid, sortByKey(group, (row) => row.name).map(toDef))
  }
  return byRelation
}

/** SQL fragment: `[schema, name]` (JSON) of the collation whose oid is `collationOid`, or NULL. */
export function collationNameOf(collationOid: string): RawBuilder<unknown> {
  return sql`(
    SELECT pg_catalog.json_build_array(colln.nspname, coll.collname)
    FROM pg_catalog.pg_collation coll
    JOIN pg_catalog.pg_namespace colln ON colln.oid = coll.collnamespace
    WHERE coll.oid = ${sql.raw(collationOid)}
  )`
}
