import { sql } from 'kysely'
import { functionId } from '../model/object-id.js'
import type { FunctionDef } from '../model/schema-model.js'
import { commentOf, inSelectedNamespaces, notExtensionMember, queryCatalog } from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawFunctionRow } from './catalog-rows.js'
import type { Draft } from './draft.js'

/**
 * Functions and procedures of the selected schemas, one per overload (the id carries the
 * identity arguments). Aggregates and window functions (prokind 'a' / 'w') are left out for now:
 * the model has no shape for them (pg_get_functiondef refuses aggregates), so a schema that has
 * them is not fully described, and objects that use them do not list them in dependsOn.
 */
export async function introspectFunctions(context: CatalogContext): Promise<Draft<FunctionDef>[]> {
  const rows = await queryCatalog<RawFunctionRow>(
    context.db,
    sql`
      SELECT
        p.oid,
        n.nspname AS schema,
        p.proname AS name,
        p.prokind,
        pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity_arguments,
        CASE WHEN p.prokind = 'f' THEN pg_catalog.pg_get_function_result(p.oid) END AS result,
        l.lanname AS language,
        pg_catalog.pg_get_functiondef(p.oid) AS definition,
        ${commentOf('pg_catalog.pg_proc', 'p.oid')} AS comment
      FROM pg_catalog.pg_proc p
      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_catalog.pg_language l ON l.oid = p.prolang
      WHERE p.prokind IN ('f', 'p')
        AND ${inSelectedNamespaces(context, 'p.pronamespace')}
        AND ${notExtensionMember('pg_catalog.pg_proc', 'p.oid')}
    `,
  )
  return rows.map((row) => ({
    oid: row.oid,
    def: {
      id: functionId(row.schema, row.name, row.identity_arguments),
      schema: row.schema,
      name: row.name,
      comment: row.comment,
      kind: row.prokind === 'p' ? 'procedure' : 'function',
      identityArguments: row.identity_arguments,
      returns: row.result,
      language: row.language,
      definition: row.definition,
    },
  }))
}
