/** A relation by its source schema and name. */
export interface SourceTableName {
  readonly schema: string
  readonly name: string
}

/**
 * One object a captured statement created, altered or dropped, as the source's event trigger
 * saw it after the statement ran (after a rename, under its new name).
 */
export interface CapturedCommand {
  /** `CREATE TABLE`, `CREATE INDEX`, `ALTER SEQUENCE`... (sub-commands included). */
  readonly commandTag: string
  /** `table`, `index`, `sequence`, `table column`, `schema`... */
  readonly objectType: string
  readonly schema: string | null
  /** The object's own name when it is a relation (table, index, sequence...); null otherwise. */
  readonly name: string | null
  /** PostgreSQL's qualified identity text (`sales.orders`, `sales.orders.note`). */
  readonly identity: string | null
  /** The table the object is or belongs to (an index's table); null for other objects. */
  readonly table: CapturedTable | null
}

/** The table of a {@link CapturedCommand}, read from the catalog when the statement ended. */
export interface CapturedTable extends SourceTableName {
  /** pg_class.relkind: `r` table, `p` partitioned table, `i` index, `v` view... */
  readonly kind: string
  /** pg_class.relpersistence: `p` permanent, `u` unlogged. */
  readonly persistence: string
  readonly isPartition: boolean
  /** Tables its foreign keys reference. */
  readonly references: readonly SourceTableName[]
  /** Column → the value rows that existed got for it (pg_attribute.attmissingval), as text. */
  readonly missingValues: Readonly<Record<string, string>>
  /** The statement rewrote the table while it held rows (values computed there, row by row). */
  readonly rewrittenWithRows: boolean
  /** The capture added the table to the publication (a new table the migration selects). */
  readonly published: boolean
  /** The capture set REPLICA IDENTITY FULL on it (published without a primary key). */
  readonly replicaIdentityFull: boolean
}

/** A row of {@link DDL_LOG_TABLE}: one DDL statement run on the source. */
export interface CapturedDdl {
  readonly id: bigint
  readonly migration: string
  /** `ddl_command_end`, or `sql_drop` for DROP statements. */
  readonly event: 'ddl_command_end' | 'sql_drop'
  /** The statement's command tag (`ALTER TABLE`). */
  readonly commandTag: string
  /** The main command's object type, identity and schema (the first sub-command of the statement's tag). */
  readonly objectType: string | null
  readonly objectIdentity: string | null
  readonly schemaName: string | null
  /** The whole query string the client sent: possibly several statements. */
  readonly queryText: string
  /**
   * Which statement of {@link queryText} this is: 1 for the first statement of the string that
   * fires DDL event triggers, 2 for the second, and so on.
   */
  readonly statementOrdinal: number
  /** The search_path setting and the schemas it resolved to (current_schemas(true)). */
  readonly searchPath: string | null
  readonly searchPathSchemas: readonly string[]
  readonly commands: readonly CapturedCommand[]
  /** Why the capture could not describe the statement; the statement is then never replayed. */
  readonly captureError: string | null
  readonly capturedAt: string
}

/**
 * Turns a ddl_log row as pgoutput delivers it (column name → text, null for NULL) into a
 * {@link CapturedDdl}. Throws when a column the capture always fills is missing.
 */
export function decodeCapturedDdl(row: Readonly<Record<string, string | null>>): CapturedDdl {
  const text = (column: string): string => {
    const value = row[column]
    if (value === undefined || value === null) {
      throw new Error(`decoding a pgshift.ddl_log row: column ${column} is missing`)
    }
    return value
  }
  const optional = (column: string): string | null => row[column] ?? null
  const event = text('event')
  if (event !== 'ddl_command_end' && event !== 'sql_drop') {
    throw new Error(`decoding a pgshift.ddl_log row: unknown event ${JSON.stringify(event)}`)
  }
  const schemas = optional('search_path_schemas')
  return {
    id: BigInt(text('id')),
    migration: text('migration'),
    event,
    commandTag: text('command_tag'),
    objectType: optional('object_type'),
    objectIdentity: optional('object_identity'),
    schemaName: optional('schema_name'),
    queryText: text('statement'),
    statementOrdinal: Number(text('statement_ordinal')),
    searchPath: optional('search_path'),
    searchPathSchemas: schemas === null ? [] : (JSON.parse(schemas) as string[]),
    commands: JSON.parse(optional('commands') ?? '[]') as CapturedCommand[],
    captureError: optional('capture_error'),
    capturedAt: text('captured_at'),
  }
}
