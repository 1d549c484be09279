/**
 * How source names become destination names: the spec's schema and table renames and its
 * column excludes and renames, keyed by the source's own names.
 */
export interface NameMapping {
  /** Source schema name → destination schema name. */
  readonly schemas?: Readonly<Record<string, string>>
  readonly tables?: readonly TableMapping[]
}

/** One source table's renames and excluded columns. */
export interface TableMapping {
  /** The table's source schema and name. */
  readonly schema: string
  readonly name: string
  /** Its destination name (the schema follows {@link NameMapping.schemas}). */
  readonly rename?: string
  /** Source columns that are not carried over. */
  readonly excludeColumns?: readonly string[]
  /** Source column name → destination column name. */
  readonly renameColumns?: Readonly<Record<string, string>>
}

/** Something the mapping had to leave out or could not rewrite; the plan shows these. */
export interface MappingNote {
  readonly severity: 'warning' | 'error'
  /** The object's id in the mapped (destination) model. */
  readonly id: string
  readonly message: string
}
