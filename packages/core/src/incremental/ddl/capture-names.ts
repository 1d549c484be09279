import { quoteQualifiedName } from '@pgshift/schema-diff'

/** The source objects one migration's DDL capture consists of, quoted as SQL needs. */
export interface CaptureNames {
  /** The plpgsql function all three event triggers call. */
  readonly function: string
  readonly functionName: string
  /** Event triggers on ddl_command_end, sql_drop and table_rewrite (names unquoted). */
  readonly triggers: readonly { readonly name: string; readonly event: string }[]
}

/** Names of the capture objects of a migration (`[a-z][a-z0-9_-]*`, at most 40 characters). */
export function captureNames(migration: string): CaptureNames {
  const functionName = `ddl_capture_${migration}`
  return {
    function: quoteQualifiedName('pgshift', functionName),
    functionName,
    triggers: [
      { name: `pgshift_ddl_${migration}_end`, event: 'ddl_command_end' },
      { name: `pgshift_ddl_${migration}_drop`, event: 'sql_drop' },
      { name: `pgshift_ddl_${migration}_rewrite`, event: 'table_rewrite' },
    ],
  }
}

/**
 * Set (transaction-local) while pgshift runs DDL of its own on the source: every capture
 * trigger then stays out of the way, so neither its own ALTER PUBLICATION nor an install is
 * recorded as user DDL.
 */
export const CAPTURE_BYPASS_SETTING = 'pgshift.ddl_internal'
