// The records diffSchemas decides and renderOperation turns into SQL. They are plain JSON data
// (the plan stores and shows them), tagged by `kind` in snake_case after the SQL they stand for.
// No SQL text is built here: expressions and definitions the model already holds as canonical
// SQL (pg_get_*def, pg_get_expr, format_type) are carried verbatim, names stay unquoted.

import type {
  CompositeAttributeDef,
  ConstraintKind,
  ObjectId,
} from '../model/schema-model.js'

/**
 * `pre-data` runs before the data copy (what the copy needs: schemas, extensions, types,
 * functions, sequences, tables with their columns, defaults, NOT NULL and CHECK constraints, and
 * every drop); `post-data` after it (primary keys, unique, foreign-key and exclusion
 * constraints, indexes, views, triggers, policies, row security), as pg_restore splits them.
 */
export type Phase = 'pre-data' | 'post-data'

export type HazardCode = 'destructive' | 'rewrite' | 'locks' | 'unsafe-cast'

/** Something a reviewer must accept before the operation runs. */
export interface Hazard {
  readonly code: HazardCode
  readonly message: string
}

/** A schema-qualified name, unquoted. */
export interface QualifiedName {
  readonly schema: string
  readonly name: string
}

export interface FunctionName extends QualifiedName {
  /** pg_get_function_identity_arguments. */
  readonly identityArguments: string
}

/** Sequence options; all of them on create, only the changed ones on alter. */
export interface SequenceOptions {
  readonly dataType?: string
  readonly start?: string
  readonly increment?: string
  readonly min?: string
  readonly max?: string
  readonly cache?: string
  readonly cycle?: boolean
}

export interface IdentitySpec {
  readonly generation: 'always' | 'by default'
  /** Unqualified: the sequence lives in the table's schema. */
  readonly sequenceName: string
  readonly options: SequenceOptions
}

/** A column as CREATE TABLE / ADD COLUMN spell it. */
export interface ColumnSpec {
  readonly name: string
  readonly type: string
  readonly collation: string | null
  readonly notNull: boolean
  readonly default: string | null
  readonly identity: IdentitySpec | null
  readonly generated: string | null
}

/** What a COMMENT ON names. */
export type CommentTarget =
  | { readonly kind: 'schema' | 'extension'; readonly name: string }
  | {
      readonly kind:
        | 'collation'
        | 'type'
        | 'domain'
        | 'sequence'
        | 'table'
        | 'view'
        | 'materialized_view'
        | 'index'
      readonly schema: string
      readonly name: string
    }
  | {
      readonly kind: 'function' | 'procedure' | 'aggregate'
      readonly schema: string
      readonly name: string
      readonly identityArguments: string
    }
  | {
      readonly kind: 'column' | 'constraint' | 'trigger' | 'policy'
      readonly schema: string
      /** The table (or view, for a column). */
      readonly table: string
      readonly name: string
    }
  | {
      readonly kind: 'domain_constraint'
      readonly schema: string
      readonly domain: string
      readonly name: string
    }

interface OperationBase {
  /** The top-level object the operation changes (the table, for a column or an index). */
  readonly id: ObjectId
  readonly phase: Phase
  readonly hazards: readonly Hazard[]
  /** False when the statement cannot run inside a transaction block (CONCURRENTLY). */
  readonly transactional: boolean
  /** lock_timeout to run the statement under, or null for the session's own. */
  readonly lockTimeoutMs: number | null
  /** Why the operation is done this way, for reviewers (a strategy, a caveat), or null. */
  readonly note: string | null
}

type Op<K extends string, T = object> = OperationBase & { readonly kind: K } & T

export type Operation =
  // schemas, extensions, collations
  | Op<'create_schema', { readonly name: string }>
  | Op<'drop_schema', { readonly name: string }>
  | Op<
      'create_extension',
      { readonly name: string; readonly schema: string; readonly version: string }
    >
  | Op<'alter_extension_update', { readonly name: string; readonly version: string }>
  | Op<'alter_extension_set_schema', { readonly name: string; readonly schema: string }>
  | Op<'drop_extension', { readonly name: string }>
  | Op<
      'create_collation',
      {
        readonly collation: QualifiedName
        readonly provider: string
        readonly locale: string | null
        readonly lcCollate: string | null
        readonly lcCtype: string | null
        readonly deterministic: boolean
      }
    >
  | Op<'drop_collation', { readonly collation: QualifiedName }>
  // types
  | Op<'create_enum_type', { readonly type: QualifiedName; readonly labels: readonly string[] }>
  | Op<
      'create_composite_type',
      { readonly type: QualifiedName; readonly attributes: readonly CompositeAttributeDef[] }
    >
  | Op<
      'create_range_type',
      {
        readonly type: QualifiedName
        readonly subtype: string
        readonly subtypeOpclass: string | null
        readonly collation: string | null
        readonly canonical: string | null
        readonly subtypeDiff: string | null
        readonly multirangeName: string | null
      }
    >
  | Op<
      'create_domain',
      {
        readonly domain: QualifiedName
        readonly baseType: string
        readonly collation: string | null
        readonly default: string | null
        readonly notNull: boolean
        /** Validated constraints only: CREATE DOMAIN cannot add one NOT VALID. */
        readonly constraints: readonly { readonly name: string; readonly definition: string }[]
      }
    >
  | Op<'drop_type', { readonly type: QualifiedName }>
  | Op<'drop_domain', { readonly domain: QualifiedName }>
  | Op<'rename_type', { readonly type: QualifiedName; readonly newName: string }>
  | Op<'rename_domain', { readonly domain: QualifiedName; readonly newName: string }>
  | Op<
      'alter_type_add_value',
      {
        readonly type: QualifiedName
        readonly value: string
        /** Exactly one of before / after is set, or neither (appended). */
        readonly before: string | null
        readonly after: string | null
      }
    >
  | Op<
      'alter_type_add_attribute',
      { readonly type: QualifiedName; readonly attribute: CompositeAttributeDef }
    >
  | Op<'alter_type_drop_attribute', { readonly type: QualifiedName; readonly attribute: string }>
  | Op<
      'alter_type_alter_attribute',
      { readonly type: QualifiedName; readonly attribute: CompositeAttributeDef }
    >
  | Op<'alter_domain_set_default', { readonly domain: QualifiedName; readonly default: string }>
  | Op<'alter_domain_drop_default', { readonly domain: QualifiedName }>
  | Op<'alter_domain_set_not_null', { readonly domain: QualifiedName }>
  | Op<'alter_domain_drop_not_null', { readonly domain: QualifiedName }>
  | Op<
      'alter_domain_add_constraint',
      {
        readonly domain: QualifiedName
        readonly name: string
        readonly definition: string
        readonly notValid: boolean
      }
    >
  | Op<'alter_domain_drop_constraint', { readonly domain: QualifiedName; readonly name: string }>
  | Op<
      'alter_domain_validate_constraint',
      { readonly domain: QualifiedName; readonly name: string }
    >
  // sequences
  | Op<'create_sequence', { readonly sequence: QualifiedName; readonly options: SequenceOptions }>
  | Op<'alter_sequence', { readonly sequence: QualifiedName; readonly options: SequenceOptions }>
  | Op<
      'alter_sequence_owned_by',
      {
        readonly sequence: QualifiedName
        /** null: OWNED BY NONE. */
        readonly ownedBy: {
          readonly schema: string
          readonly table: string
          readonly column: string
        } | null
      }
    >
  | Op<'rename_sequence', { readonly sequence: QualifiedName; readonly newName: string }>
  | Op<'drop_sequence', { readonly sequence: QualifiedName }>
  // tables
  | Op<
      'create_table',
      {
        readonly table: QualifiedName
        readonly tableKind: 'table' | 'partitioned'
        readonly persistence: 'permanent' | 'unlogged'
        /** Locally declared columns (none for a partition). */
        readonly columns: readonly ColumnSpec[]
        readonly partitionKey: string | null
        readonly partitionOf: { readonly parent: QualifiedName; readonly bound: string } | null
        readonly inherits: readonly QualifiedName[]
        readonly storageParameters: readonly string[]
      }
    >
  | Op<'drop_table', { readonly table: QualifiedName }>
  | Op<'set_logged', { readonly table: QualifiedName }>
  | Op<'set_unlogged', { readonly table: QualifiedName }>
  | Op<
      'set_storage_parameters',
      { readonly table: QualifiedName; readonly parameters: readonly string[] }
    >
  | Op<
      'reset_storage_parameters',
      { readonly table: QualifiedName; readonly parameters: readonly string[] }
    >
  | Op<
      'set_replica_identity',
      {
        readonly table: QualifiedName
        readonly identity: 'default' | 'full' | 'nothing' | { readonly index: string }
      }
    >
  | Op<'enable_row_security', { readonly table: QualifiedName }>
  | Op<'disable_row_security', { readonly table: QualifiedName }>
  | Op<'force_row_security', { readonly table: QualifiedName }>
  | Op<'no_force_row_security', { readonly table: QualifiedName }>
  | Op<
      'attach_partition',
      { readonly parent: QualifiedName; readonly partition: QualifiedName; readonly bound: string }
    >
  | Op<
      'detach_partition',
      {
        readonly parent: QualifiedName
        readonly partition: QualifiedName
        readonly concurrently: boolean
      }
    >
  | Op<'inherit', { readonly table: QualifiedName; readonly parent: QualifiedName }>
  | Op<'no_inherit', { readonly table: QualifiedName; readonly parent: QualifiedName }>
  // columns
  | Op<'add_column', { readonly table: QualifiedName; readonly column: ColumnSpec }>
  | Op<'drop_column', { readonly table: QualifiedName; readonly column: string }>
  | Op<
      'alter_column_type',
      {
        readonly table: QualifiedName
        readonly column: string
        readonly dataType: string
        /** COLLATE to add, or null to keep the type's default. */
        readonly collation: string | null
        /**
         * USING the column cast to the new type (`cast`), or through text (`cast_via_text`, for
         * types without a direct cast such as an enum and its replacement), or null: the
         * assignment cast PostgreSQL applies by itself.
         */
        readonly using: 'cast' | 'cast_via_text' | null
      }
    >
  | Op<
      'alter_column_set_default',
      { readonly table: QualifiedName; readonly column: string; readonly default: string }
    >
  | Op<'alter_column_drop_default', { readonly table: QualifiedName; readonly column: string }>
  | Op<'alter_column_set_not_null', { readonly table: QualifiedName; readonly column: string }>
  | Op<'alter_column_drop_not_null', { readonly table: QualifiedName; readonly column: string }>
  | Op<
      'alter_column_add_identity',
      { readonly table: QualifiedName; readonly column: string; readonly identity: IdentitySpec }
    >
  | Op<
      'alter_column_set_identity',
      {
        readonly table: QualifiedName
        readonly column: string
        /** SET GENERATED ..., or null to keep it. */
        readonly generation: 'always' | 'by default' | null
        readonly options: SequenceOptions
      }
    >
  | Op<'alter_column_drop_identity', { readonly table: QualifiedName; readonly column: string }>
  | Op<
      'alter_column_set_expression',
      { readonly table: QualifiedName; readonly column: string; readonly expression: string }
    >
  | Op<'alter_column_drop_expression', { readonly table: QualifiedName; readonly column: string }>
  | Op<
      'alter_column_set_storage',
      { readonly table: QualifiedName; readonly column: string; readonly storage: string }
    >
  | Op<
      'alter_column_set_statistics',
      {
        readonly table: QualifiedName
        readonly column: string
        /** -1 restores the default target. */
        readonly statistics: number
      }
    >
  // constraints
  | Op<
      'add_constraint',
      {
        readonly table: QualifiedName
        readonly name: string
        readonly constraintKind: ConstraintKind
        /** pg_get_constraintdef without a trailing NOT VALID. */
        readonly definition: string
        readonly notValid: boolean
        /** ADD CONSTRAINT name PRIMARY KEY | UNIQUE USING INDEX this index, or null. */
        readonly usingIndex: string | null
      }
    >
  | Op<
      'add_not_null_check',
      {
        readonly table: QualifiedName
        readonly column: string
        /** CHECK (column IS NOT NULL) NOT VALID under this name, validated before SET NOT NULL. */
        readonly name: string
      }
    >
  | Op<'drop_constraint', { readonly table: QualifiedName; readonly name: string }>
  | Op<'validate_constraint', { readonly table: QualifiedName; readonly name: string }>
  // indexes
  | Op<
      'create_index',
      {
        /** The index; it lives in its table's schema. */
        readonly index: QualifiedName
        /** pg_get_indexdef (the table qualified). */
        readonly definition: string
        readonly concurrently: boolean
      }
    >
  | Op<
      'create_constraint_index',
      {
        /** The index, named as the constraint it is for. */
        readonly index: QualifiedName
        readonly table: QualifiedName
        /** The constraint's `PRIMARY KEY (...)` / `UNIQUE (...)` definition. */
        readonly constraintDefinition: string
        readonly concurrently: boolean
      }
    >
  | Op<'drop_index', { readonly index: QualifiedName; readonly concurrently: boolean }>
  | Op<'rename_index', { readonly index: QualifiedName; readonly newName: string }>
  | Op<'attach_index', { readonly parentIndex: QualifiedName; readonly index: QualifiedName }>
  // views
  | Op<
      'create_view',
      {
        readonly view: QualifiedName
        readonly viewKind: 'view' | 'materialized'
        /** pg_get_viewdef. */
        readonly definition: string
        readonly options: readonly string[]
      }
    >
  | Op<
      'replace_view',
      {
        readonly view: QualifiedName
        readonly definition: string
        readonly options: readonly string[]
      }
    >
  | Op<'drop_view', { readonly view: QualifiedName; readonly viewKind: 'view' | 'materialized' }>
  | Op<'refresh_materialized_view', { readonly view: QualifiedName }>
  // functions
  | Op<
      'create_function',
      {
        readonly function: FunctionName
        readonly routineKind: 'function' | 'procedure' | 'aggregate'
        /** pg_get_functiondef: a complete CREATE OR REPLACE statement. */
        readonly definition: string
      }
    >
  | Op<
      'replace_function',
      {
        readonly function: FunctionName
        readonly routineKind: 'function' | 'procedure' | 'aggregate'
        readonly definition: string
      }
    >
  | Op<
      'drop_function',
      {
        readonly function: FunctionName
        readonly routineKind: 'function' | 'procedure' | 'aggregate'
      }
    >
  // triggers
  | Op<
      'create_trigger',
      { readonly table: QualifiedName; readonly name: string; readonly definition: string }
    >
  | Op<'drop_trigger', { readonly table: QualifiedName; readonly name: string }>
  | Op<
      'enable_trigger',
      {
        readonly table: QualifiedName
        readonly name: string
        readonly mode: 'origin' | 'replica' | 'always'
      }
    >
  | Op<'disable_trigger', { readonly table: QualifiedName; readonly name: string }>
  // policies
  | Op<
      'create_policy',
      {
        readonly table: QualifiedName
        readonly name: string
        readonly permissive: boolean
        readonly command: string
        readonly roles: readonly string[]
        readonly using: string | null
        readonly withCheck: string | null
      }
    >
  | Op<
      'alter_policy',
      {
        readonly table: QualifiedName
        readonly name: string
        /** Only what changes; null keeps it. */
        readonly roles: readonly string[] | null
        readonly using: string | null
        readonly withCheck: string | null
      }
    >
  | Op<'drop_policy', { readonly table: QualifiedName; readonly name: string }>
  // comments
  | Op<'comment_on', { readonly target: CommentTarget; readonly comment: string | null }>

/** Every `kind` an operation can have. */
export type OperationKind = Operation['kind']

/** The operation of one kind. */
export type OperationOf<K extends OperationKind> = Extract<Operation, { readonly kind: K }>
