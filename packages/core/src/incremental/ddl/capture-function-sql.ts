import { quoteLiteral } from '@pgshift/schema-diff'
import { CAPTURE_BYPASS_SETTING, captureNames } from './capture-names.js'

/**
 * The plpgsql function of a migration's event triggers. It runs inside users' DDL on the
 * source, so:
 * - it never lets a supported statement pass unrecorded: when describing the statement fails,
 *   it still records the statement with the error (the applier then stops, naming it), and only
 *   when even that row cannot be written does the user's statement fail;
 * - it is fully schema-qualified and does not SET search_path (the search_path it records is
 *   the user's);
 * - a query string sent at once ("CREATE TABLE a ...; ALTER TABLE a ...") fires the triggers
 *   once per statement with the same current_query(): a session counter keyed by the message's
 *   statement_timestamp() and the query text numbers those statements, so the applier replays
 *   each exactly once (statements that fire no DDL event triggers are not counted);
 * - a table the migration would select, created by a plain CREATE TABLE, joins the publication
 *   right away: PostgreSQL 15 publishes rows inserted after ALTER PUBLICATION ... ADD TABLE in
 *   the same transaction (verified), so no row of it is missed. Without a primary key it gets
 *   REPLICA IDENTITY FULL, or its UPDATE/DELETE would start failing on the source.
 */
export function captureFunctionSql(migration: string, publication: string): string {
  const names = captureNames(migration)
  const m = quoteLiteral(migration)
  const bypass = quoteLiteral(CAPTURE_BYPASS_SETTING)
  return `CREATE OR REPLACE FUNCTION ${names.function}() RETURNS event_trigger
LANGUAGE plpgsql AS $pgshift$
DECLARE
  counter_setting constant text := 'pgshift.ddl_' || pg_catalog.md5(${m});
  rewrite_setting constant text := 'pgshift.ddl_rewrite_' || pg_catalog.md5(${m});
  statement_key constant text := pg_catalog.statement_timestamp()::text || '|' || pg_catalog.md5(pg_catalog.current_query());
  counter text;
  ordinal int := 0;
  rules jsonb;
  described jsonb;
  main jsonb;
  capture_error text;
  has_rows boolean;
  item record;
BEGIN
  IF pg_catalog.current_setting(${bypass}, true) = 'on' THEN
    RETURN;
  END IF;

  IF tg_event = 'table_rewrite' THEN
    -- remembered for ddl_command_end: a rewrite of a table holding rows computes new column
    -- values row by row on the source, which the destination cannot reproduce
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %s)', pg_catalog.pg_event_trigger_table_rewrite_oid()::regclass)
      INTO has_rows;
    IF has_rows THEN
      counter := pg_catalog.current_setting(rewrite_setting, true);
      PERFORM pg_catalog.set_config(rewrite_setting,
        CASE WHEN pg_catalog.split_part(counter, ',', 1) = statement_key THEN counter ELSE statement_key END
          || ',' || pg_catalog.pg_event_trigger_table_rewrite_oid()::text, false);
    END IF;
    RETURN;
  END IF;

  counter := pg_catalog.current_setting(counter_setting, true);
  IF pg_catalog.split_part(counter, ',', 1) = statement_key THEN
    ordinal := pg_catalog.split_part(counter, ',', 2)::int;
  END IF;
  -- sql_drop fires before its statement's ddl_command_end, which counts the statement
  ordinal := ordinal + 1;
  IF tg_event = 'ddl_command_end' THEN
    PERFORM pg_catalog.set_config(counter_setting, statement_key || ',' || ordinal::text, false);
  ELSIF tg_tag NOT LIKE 'DROP %' THEN
    -- ALTER TABLE ... DROP COLUMN and the like are recorded at ddl_command_end
    RETURN;
  END IF;

  BEGIN
    SELECT c.new_tables INTO rules FROM pgshift.ddl_capture c WHERE c.migration = ${m};
    IF tg_event = 'sql_drop' THEN
      SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
          'commandTag', tg_tag, 'objectType', d.object_type, 'schema', d.schema_name,
          'name', d.object_name, 'identity', d.object_identity,
          'table', CASE WHEN d.object_type = 'table' THEN pg_catalog.jsonb_build_object(
            'schema', d.schema_name, 'name', d.object_name, 'kind', 'r', 'persistence', 'p',
            'isPartition', false, 'references', '[]'::jsonb, 'missingValues', '{}'::jsonb,
            'rewrittenWithRows', false, 'published', false, 'replicaIdentityFull', false) END
        ) ORDER BY d.ordinality)
        INTO described
        FROM pg_catalog.pg_event_trigger_dropped_objects() WITH ORDINALITY d
        WHERE NOT d.is_temporary AND d.schema_name IS DISTINCT FROM 'pgshift'
          AND (d.original OR d.object_type = 'table');
    ELSE
      FOR item IN
        SELECT r.oid, rn.nspname, r.relname
          FROM pg_catalog.pg_event_trigger_ddl_commands() c
          JOIN pg_catalog.pg_class r ON c.classid = 'pg_catalog.pg_class'::regclass AND r.oid = c.objid
          JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
         WHERE c.command_tag = 'CREATE TABLE' AND tg_tag = 'CREATE TABLE' AND c.object_type = 'table'
           AND r.relkind IN ('r', 'p') AND r.relpersistence = 'p' AND NOT r.relispartition
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend x WHERE x.classid = 'pg_catalog.pg_namespace'::regclass
                             AND x.objid = rn.oid AND x.deptype = 'e')
           AND (((rules->>'wholeDatabase')::boolean
                  AND rn.nspname NOT IN ('pg_catalog', 'information_schema', 'pgshift')
                  AND rn.nspname NOT LIKE 'pg\\_%')
                OR EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(rules->'schemas') s
                            WHERE s->>'schema' = rn.nspname
                              AND NOT EXISTS (SELECT FROM pg_catalog.jsonb_array_elements_text(s->'exclude') g
                                               WHERE r.relname ~ g)))
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_publication_rel pr
                             JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
                            WHERE p.pubname = ${quoteLiteral(publication)} AND pr.prrelid = r.oid)
      LOOP
        PERFORM pg_catalog.set_config(${bypass}, 'on', true);
        EXECUTE pg_catalog.format('ALTER PUBLICATION %I ADD TABLE %I.%I', ${quoteLiteral(publication)}, item.nspname, item.relname);
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = item.oid AND i.indisprimary) THEN
          EXECUTE pg_catalog.format('ALTER TABLE %I.%I REPLICA IDENTITY FULL', item.nspname, item.relname);
        END IF;
        PERFORM pg_catalog.set_config(${bypass}, 'off', true);
      END LOOP;

      SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
          'commandTag', c.command_tag, 'objectType', c.object_type, 'schema', c.schema_name,
          'name', o.relname, 'identity', c.object_identity,
          'table', CASE WHEN r.oid IS NOT NULL THEN pg_catalog.jsonb_build_object(
            'schema', rn.nspname, 'name', r.relname, 'kind', r.relkind, 'persistence', r.relpersistence,
            'isPartition', r.relispartition,
            'references', COALESCE((
              SELECT pg_catalog.jsonb_agg(DISTINCT pg_catalog.jsonb_build_object('schema', fn.nspname, 'name', f.relname))
                FROM pg_catalog.pg_constraint k
                JOIN pg_catalog.pg_class f ON f.oid = k.confrelid
                JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
               WHERE k.conrelid = r.oid AND k.contype = 'f'), '[]'::jsonb),
            'missingValues', COALESCE((
              SELECT pg_catalog.jsonb_object_agg(a.attname, (a.attmissingval::text::text[])[1])
                FROM pg_catalog.pg_attribute a
               WHERE a.attrelid = r.oid AND a.atthasmissing AND NOT a.attisdropped), '{}'::jsonb),
            'rewrittenWithRows', r.oid::text = ANY (pg_catalog.string_to_array(
              CASE WHEN pg_catalog.split_part(pg_catalog.current_setting(rewrite_setting, true), ',', 1) = statement_key
                   THEN pg_catalog.current_setting(rewrite_setting, true) END, ',')),
            'published', EXISTS (SELECT FROM pg_catalog.pg_publication_rel pr
                                   JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
                                  WHERE p.pubname = ${quoteLiteral(publication)} AND pr.prrelid = r.oid),
            'replicaIdentityFull', r.relreplident = 'f') END
        ) ORDER BY c.ordinality)
        INTO described
        FROM pg_catalog.pg_event_trigger_ddl_commands() WITH ORDINALITY c
        LEFT JOIN pg_catalog.pg_class o ON c.classid = 'pg_catalog.pg_class'::regclass AND o.oid = c.objid
        LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = o.oid
        LEFT JOIN pg_catalog.pg_constraint k ON c.classid = 'pg_catalog.pg_constraint'::regclass AND k.oid = c.objid
        LEFT JOIN pg_catalog.pg_class r ON r.oid = COALESCE(i.indrelid, k.conrelid, o.oid)
        LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
        WHERE NOT c.in_extension
          AND c.schema_name IS DISTINCT FROM 'pgshift'
          AND COALESCE(c.schema_name, '') NOT LIKE 'pg\\_temp%'
          AND COALESCE(r.relpersistence, 'p') <> 't';
    END IF;
    IF described IS NULL THEN
      RETURN;
    END IF;
    SELECT e INTO main FROM pg_catalog.jsonb_array_elements(described) e WHERE e->>'commandTag' = tg_tag LIMIT 1;
    main := COALESCE(main, described->0);
    INSERT INTO pgshift.ddl_log (migration, event, command_tag, object_type, object_identity, schema_name,
        statement, statement_ordinal, search_path, search_path_schemas, commands, transaction_id)
      VALUES (${m}, tg_event, tg_tag, main->>'objectType', main->>'identity', main->>'schema',
        pg_catalog.current_query(), ordinal, pg_catalog.current_setting('search_path'),
        pg_catalog.to_jsonb(pg_catalog.current_schemas(true)), described, pg_catalog.pg_current_xact_id());
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS capture_error = MESSAGE_TEXT;
    BEGIN
      INSERT INTO pgshift.ddl_log (migration, event, command_tag, statement, statement_ordinal, search_path,
          commands, capture_error, transaction_id)
        VALUES (${m}, tg_event, tg_tag, COALESCE(pg_catalog.current_query(), ''), ordinal,
          pg_catalog.current_setting('search_path', true), '[]'::jsonb, capture_error, pg_catalog.pg_current_xact_id());
    EXCEPTION WHEN OTHERS THEN
      -- nothing could be recorded: failing the statement is the only way not to lose it
      RAISE EXCEPTION 'pgshift DDL capture of migration % could not record this statement: %', ${m}, capture_error
        USING HINT = 'pgshift replicates DDL to the destination; remove the capture (pgshift cutover or abort) to run DDL without it';
    END;
  END;
END
$pgshift$`
}
