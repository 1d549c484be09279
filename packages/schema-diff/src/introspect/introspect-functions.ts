import { sql } from 'kysely'
import { functionId } from '../model/object-id.js'
import type { FunctionDef } from '../model/schema-model.js'
import { commentOf, inSelectedNamespaces, notExtensionMember, queryCatalog } from './catalog-query.js'
import type { CatalogContext } from './catalog-query.js'
import type { RawFunctionRow } from './catalog-rows.js'
import type { Draft } from './draft.js'

/**
 * Functions, procedures and aggregates of the selected schemas, one per overload (the id carries
 * the identity arguments). pg_get_functiondef refuses aggregates, so their CREATE AGGREGATE is
 * assembled from pg_aggregate, every function and operator named with its schema (the
 * introspection transaction runs with an empty search_path). User-defined window functions
 * (prokind 'w') need C code and are left out.
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
        CASE WHEN p.prokind IN ('f', 'a') THEN pg_catalog.pg_get_function_result(p.oid) END AS result,
        l.lanname AS language,
        CASE WHEN p.prokind = 'a' THEN ${aggregateDefinition}
          ELSE pg_catalog.pg_get_functiondef(p.oid) END AS definition,
        ${commentOf('pg_catalog.pg_proc', 'p.oid')} AS comment
      FROM pg_catalog.pg_proc p
      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_catalog.pg_language l ON l.oid = p.prolang
      WHERE p.prokind IN ('f', 'p', 'a')
        AND ${inSelectedNamespaces(context, 'p.pronamespace')}
        AND ${notExtensionMember('pg_catalog.pg_proc', 'p.oid')}
        -- constructors PostgreSQL creates with a range or multirange type belong to the type
        AND NOT EXISTS (
          SELECT FROM pg_catalog.pg_depend d
          WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
            AND d.objid = p.oid
            AND d.deptype = 'i'
        )
    `,
  )
  return rows.map((row) => ({
    oid: row.oid,
    def: {
      id: functionId(row.schema, row.name, row.identity_arguments),
      schema: row.schema,
      name: row.name,
      comment: row.comment,
      kind: KINDS[row.prokind],
      identityArguments: row.identity_arguments,
      returns: row.result,
      language: row.language,
      definition: row.definition,
    },
  }))
}

const KINDS = { f: 'function', p: 'procedure', a: 'aggregate' } as const

// CREATE AGGREGATE with every option that differs from its default, in the order of the
// CREATE AGGREGATE reference page.
const aggregateDefinition = sql`(
  SELECT 'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.'
    || pg_catalog.quote_ident(p.proname) || '('
    || CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_arguments(p.oid) END
    || ') (' || pg_catalog.concat_ws(', ',
      'SFUNC = ' || a.aggtransfn::pg_catalog.regproc::text,
      'STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL),
      CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
      CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC = ' || a.aggfinalfn::pg_catalog.regproc::text END,
      CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
      CASE WHEN a.aggfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
        THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY'
          WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
      CASE WHEN a.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || a.aggcombinefn::pg_catalog.regproc::text END,
      CASE WHEN a.aggserialfn <> 0 THEN 'SERIALFUNC = ' || a.aggserialfn::pg_catalog.regproc::text END,
      CASE WHEN a.aggdeserialfn <> 0 THEN 'DESERIALFUNC = ' || a.aggdeserialfn::pg_catalog.regproc::text END,
      CASE WHEN a.agginitval IS NOT NULL THEN 'INITCOND = ' || pg_catalog.quote_literal(a.agginitval) END,
      CASE WHEN a.aggmtransfn <> 0 THEN 'MSFUNC = ' || a.aggmtransfn::pg_catalog.regproc::text END,
      CASE WHEN a.aggminvtransfn <> 0 THEN 'MINVFUNC = ' || a.aggminvtransfn::pg_catalog.regproc::text END,
      CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || pg_catalog.format_type(a.aggmtranstype, NULL) END,
      CASE WHEN a.aggmtransspace <> 0 THEN 'MSSPACE = ' || a.aggmtransspace END,
      CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || a.aggmfinalfn::pg_catalog.regproc::text END,
      CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
      CASE WHEN a.aggminitval IS NOT NULL THEN 'MINITCOND = ' || pg_catalog.quote_literal(a.aggminitval) END,
      CASE WHEN a.aggsortop <> 0 THEN (
        SELECT 'SORTOP = OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.' || o.oprname || ')'
        FROM pg_catalog.pg_operator o
        JOIN pg_catalog.pg_namespace opn ON opn.oid = o.oprnamespace
        WHERE o.oid = a.aggsortop) END,
      CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END,
      CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END
    ) || ')'
  FROM pg_catalog.pg_aggregate a
  WHERE a.aggfnoid = p.oid
)`
