/**
 * The source table each captured DDL statement is written to. It is published with the
 * migration's tables, so its rows reach the applier in commit order with the DML around them.
 */
export const DDL_LOG_TABLE = { schema: 'pgshift', name: 'ddl_log' } as const

/** The source table listing the migrations whose capture is installed (not published). */
export const DDL_CAPTURE_TABLE = { schema: 'pgshift', name: 'ddl_capture' } as const

/** Whether a relation (as a pgoutput Relation message names it) is {@link DDL_LOG_TABLE}. */
export function isDdlLogTable(schema: string, name: string): boolean {
  return schema === DDL_LOG_TABLE.schema && name === DDL_LOG_TABLE.name
}
