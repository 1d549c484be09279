import type { NameMapping } from '@pgshift/schema-diff'
import type { ResolvedSelection } from '../../selection/index.js'
import { matchGlob } from '../../spec/index.js'
import type { ColumnMapping, MigrationSpec } from '../../spec/index.js'
import type { SourceTableName } from './captured-ddl.js'

/** A source table the migration moves, as captured DDL needs to know it. */
export interface ScopedTable extends SourceTableName {
  readonly destinationSchema: string
  readonly destinationName: string
  readonly columns: ColumnMapping
  /**
   * The spec lists the table by name (its renames and column mappings are keyed by that name);
   * false when a whole schema or the whole database selected it.
   */
  readonly isListed: boolean
}

/** A source schema the spec selects whole: its new tables are selected too, minus `exclude`. */
export interface WholeSchema {
  readonly schema: string
  readonly destinationSchema: string
  readonly exclude: readonly string[]
}

/** Which new tables the source trigger adds to the publication, as it reads them (JSON). */
export interface NewTableRules {
  /** `objects` left out: every schema that is not a system schema or an extension's. */
  readonly wholeDatabase: boolean
  /** PostgreSQL regular expressions of the excluded names (globs, anchored). */
  readonly schemas: readonly { readonly schema: string; readonly exclude: readonly string[] }[]
}

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast', 'pgshift'])

/** A {@link DdlScope} as plain data (JSON), to store it with the applied LSN. */
export interface DdlScopeData {
  readonly migration: string
  readonly tables: readonly ScopedTable[]
  /** `null` when the whole database is selected. */
  readonly wholeSchemas: readonly WholeSchema[] | null
  /** Source schema → destination schema, for every schema the spec names. */
  readonly schemaRenames: Readonly<Record<string, string>>
}

/**
 * What captured DDL is about for one migration: which source tables it moves and where they
 * land, and which tables created later it would move. Immutable; a translated statement that
 * creates, drops or renames a table comes with the scope that follows it.
 */
export class DdlScope {
  readonly migration: string
  readonly #tables: ReadonlyMap<string, ScopedTable>
  readonly #wholeSchemas: ReadonlyMap<string, WholeSchema>
  readonly #schemaRenames: ReadonlyMap<string, string>
  readonly #wholeDatabase: boolean

  constructor(options: DdlScopeData) {
    this.migration = options.migration
    this.#tables = new Map(options.tables.map((table) => [key(table.schema, table.name), table]))
    this.#wholeDatabase = options.wholeSchemas === null
    this.#wholeSchemas = new Map((options.wholeSchemas ?? []).map((entry) => [entry.schema, entry]))
    this.#schemaRenames = new Map(Object.entries(options.schemaRenames))
  }

  /** The selected source table `schema.name`, or undefined. */
  table(schema: string, name: string): ScopedTable | undefined {
    return this.#tables.get(key(schema, name))
  }

  /** Every selected table. */
  tables(): readonly ScopedTable[] {
    return [...this.#tables.values()]
  }

  /** Whether the migration would select a table created as `schema.name`. */
  selectsNewTable(schema: string, name: string): boolean {
    if (this.#wholeDatabase) return !isSystemSchema(schema)
    const entry = this.#wholeSchemas.get(schema)
    return entry !== undefined && !entry.exclude.some((glob) => matchGlob(glob, name))
  }

  /** Whether every object of the schema is selected (a whole schema, or the whole database). */
  selectsWholeSchema(schema: string): boolean {
    return this.#wholeDatabase ? !isSystemSchema(schema) : this.#wholeSchemas.has(schema)
  }

  /** Whether the whole database is selected (new schemas included). */
  get isWholeDatabase(): boolean {
    return this.#wholeDatabase
  }

  /** The destination name of a source schema. */
  destinationSchema(schema: string): string {
    return this.#schemaRenames.get(schema) ?? schema
  }

  /** The spec's renames and column mappings as schema-diff's name mapping takes them. */
  nameMapping(): NameMapping {
    return {
      schemas: Object.fromEntries(this.#schemaRenames),
      tables: this.tables().map((table) => ({
        schema: table.schema,
        name: table.name,
        rename: table.destinationName,
        excludeColumns: table.columns.exclude,
        renameColumns: table.columns.rename,
      })),
    }
  }

  /** The rules the source trigger applies to decide which new tables join the publication. */
  newTableRules(): NewTableRules {
    return {
      wholeDatabase: this.#wholeDatabase,
      schemas: [...this.#wholeSchemas.values()].map((entry) => ({
        schema: entry.schema,
        exclude: entry.exclude.map(globToPostgresRegex),
      })),
    }
  }

  /** This scope with a table added (created) or replaced. */
  withTable(table: ScopedTable): DdlScope {
    return this.#with([...this.tables().filter((t) => !sameTable(t, table)), table])
  }

  /** This scope without a table (dropped). */
  withoutTable(table: SourceTableName): DdlScope {
    return this.#with(this.tables().filter((t) => !sameTable(t, table)))
  }

  /**
   * The scope as plain data. A scope changed by replayed DDL must be stored with the applied
   * LSN: rebuilt from the source's catalog after a restart it would already hold the effect of
   * DDL not yet replayed (a rename would then look like a table moving into the selection).
   */
  toJSON(): DdlScopeData {
    return {
      migration: this.migration,
      tables: this.tables(),
      wholeSchemas: this.#wholeDatabase ? null : [...this.#wholeSchemas.values()],
      schemaRenames: Object.fromEntries(this.#schemaRenames),
    }
  }

  #with(tables: readonly ScopedTable[]): DdlScope {
    return new DdlScope({ ...this.toJSON(), tables })
  }
}

/**
 * The DDL scope of a migration: its resolved selection (tables as they are now) and the
 * spec's whole-schema entries (tables created later).
 */
export function ddlScope(spec: MigrationSpec, selection: ResolvedSelection): DdlScope {
  return new DdlScope({
    migration: spec.metadata.name,
    tables: selection.tables.map((selected) => ({
      schema: selected.table.schema,
      name: selected.table.name,
      destinationSchema: selected.destinationSchema,
      destinationName: selected.destinationName,
      columns: selected.spec?.columns ?? { exclude: [], rename: {} },
      isListed: selected.spec !== null,
    })),
    wholeSchemas:
      spec.objects === null
        ? null
        : spec.objects
            .filter((entry) => entry.tables === null)
            .map((entry) => ({
              schema: entry.schema,
              destinationSchema: entry.destinationSchema,
              exclude: entry.exclude,
            })),
    schemaRenames: Object.fromEntries(
      (spec.objects ?? []).map((entry) => [entry.schema, entry.destinationSchema]),
    ),
  })
}

function isSystemSchema(schema: string): boolean {
  return SYSTEM_SCHEMAS.has(schema) || schema.startsWith('pg_temp') || schema.startsWith('pg_toast')
}

// PostgreSQL's regular expressions take a backslash before any non-alphanumeric as a literal
function globToPostgresRegex(glob: string): string {
  const body = Array.from(glob, (char) => {
    if (char === '*') return '.*'
    if (char === '?') return '.'
    return /[\p{L}\p{N}_]/u.test(char) ? char : `\\${char}`
  }).join('')
  return `^${body}$`
}

function sameTable(a: SourceTableName, b: SourceTableName): boolean {
  return a.schema === b.schema && a.name === b.name
}

function key(schema: string, name: string): string {
  return `${schema}\u0000${name}`
}
