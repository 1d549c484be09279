import { sql } from 'kysely'
import type { PolicyDef } from '../model/schema-model.js'
import {
  commentOf,
  inSelectedNamespaces,
  namedPerRelation,
  notExtensionMember,
  queryCatalog,
  sortedUnique,
} from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawPolicyRow } from './catalog-rows.js'

const COMMANDS: Readonly<Record<string, string>> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' }

/** Row-level security policies of the tables of the selected schemas, by table oid, sorted by name. */
export async function introspectPolicies(context: CatalogContext): Promise<Map<number, PolicyDef[]>> {
  const rows = await queryCatalog<RawPolicyRow>(
    context.db,
    sql`
      SELECT
        po.polrelid AS relid,
        po.polname AS name,
        po.polpermissive AS permissive,
        po.polcmd AS command,
        -- role oid 0 is PUBLIC
        ARRAY(
          SELECT CASE WHEN pr.oid = 0 THEN 'public' ELSE r.rolname END
          FROM pg_catalog.unnest(po.polroles) AS pr(oid)
          LEFT JOIN pg_catalog.pg_roles r ON r.oid = pr.oid
        ) AS roles,
        pg_catalog.pg_get_expr(po.polqual, po.polrelid) AS using_expression,
        pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid) AS check_expression,
        ${commentOf('pg_catalog.pg_policy', 'po.oid')} AS comment
      FROM pg_catalog.pg_policy po
      JOIN pg_catalog.pg_class c ON c.oid = po.polrelid
      WHERE ${inSelectedNamespaces(context, 'c.relnamespace')}
        AND ${notExtensionMember('pg_catalog.pg_class', 'c.oid')}
    `,
  )
  const byTable = namedPerRelation(rows, (row): PolicyDef => ({
    name: row.name,
    permissive: row.permissive,
    command: COMMANDS[row.command] ?? row.command,
    roles: sortedUnique(row.roles),
    using: row.using_expression,
    withCheck: row.check_expression,
    comment: row.comment,
  }))
  return byTable
}
