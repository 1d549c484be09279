import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { objectId } from '../model/object-id.js'
import type { ExtensionDef, SchemaDef } from '../model/schema-model.js'
import { commentOf, queryCatalog } from './catalog-query.js'
import type { RawExtensionRow, RawSchemaRow } from './catalog-rows.js'

/** Which schemas to introspect. */
export interface SchemaSelection {
  /** Only these schemas (names as stored, unquoted); missing ones are ignored. Default: all. */
  readonly schemas?: readonly string[]
  /** Never these schemas. */
  readonly excludeSchemas?: readonly string[]
}

/** The schema pgshift keeps its own state in, on either side of a migration. */
export const PGSHIFT_STATE_SCHEMA = 'pgshift'

/** A selected schema, with the oid the other catalog queries filter on. */
export interface SelectedSchema {
  readonly oid: number
  readonly def: SchemaDef
}

/**
 * pg_catalog, information_schema, pg_toast, pg_temp_N and pg_toast_temp_N. PostgreSQL reserves
 * the `pg_` prefix for system schemas (CREATE SCHEMA refuses it), so the prefix is enough.
 */
export function isSystemSchema(name: string): boolean {
  return name === 'information_schema' || name.startsWith('pg_')
}

/**
 * The schemas to introspect. System schemas are never selected. Without `schemas`, every other
 * schema is, except pgshift's own state schema and schemas an extension created (their
 * contents belong to the extension, which is listed instead).
 */
export async function selectSchemas(db: Kysely<any>, selection: SchemaSelection): Promise<SelectedSchema[]> {
  const rows = await queryCatalog<RawSchemaRow>(
    db,
    sql`
      SELECT
        n.oid,
        n.nspname AS name,
        ${commentOf('pg_catalog.pg_namespace', 'n.oid')} AS comment,
        EXISTS (
          SELECT FROM pg_catalog.pg_depend d
          WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
            AND d.objid = n.oid
            AND d.deptype = 'e'
        ) AS extension_owned
      FROM pg_catalog.pg_namespace n
    `,
  )
  const wanted = selection.schemas === undefined ? undefined : new Set(selection.schemas)
  const excluded = new Set(selection.excludeSchemas ?? [])
  return rows
    .filter((row) => {
      if (isSystemSchema(row.name) || excluded.has(row.name)) return false
      if (wanted !== undefined) return wanted.has(row.name)
      return row.name !== PGSHIFT_STATE_SCHEMA && !row.extension_owned
    })
    .map((row) => ({
      oid: row.oid,
      def: { id: objectId('schema', null, row.name), name: row.name, comment: row.comment },
    }))
}

/** An installed extension, with its oid for dependency mapping. */
export interface InstalledExtension {
  readonly oid: number
  readonly def: ExtensionDef
}

/** Every installed extension; which of them the model lists is decided by the caller. */
export async function introspectExtensions(db: Kysely<any>): Promise<InstalledExtension[]> {
  const rows = await queryCatalog<RawExtensionRow>(
    db,
    sql`
      SELECT
        x.oid,
        x.extname AS name,
        n.nspname AS schema,
        x.extversion AS version,
        ${commentOf('pg_catalog.pg_extension', 'x.oid')} AS comment
      FROM pg_catalog.pg_extension x
      JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
    `,
  )
  return rows.map((row) => ({
    oid: row.oid,
    def: {
      id: objectId('extension', null, row.name),
      name: row.name,
      schema: row.schema,
      version: row.version,
      comment: row.comment,
    },
  }))
}
