// The plain-data picture of a database's schema that introspection produces and diff consumes.
// Everything here is JSON-serialisable, readonly and deterministically ordered: arrays of named
// objects are sorted by their `id`; columns keep their physical order; enum labels keep their
// sort order. Definitions are PostgreSQL's own canonical text (pg_get_*def), so two servers of
// the same major describe equal objects with equal strings.

/**
 * Stable identity of an object across databases, used for matching, dependencies and ordering:
 * `schema:sales`, `extension:pgcrypto`, `collation:sales.german`, `type:sales.mood`,
 * `sequence:sales.orders_id_seq`, `table:sales.orders`, `view:sales.v_orders` (plain and
 * materialized), `function:sales.total(integer, text)` (identity arguments as
 * pg_get_function_identity_arguments prints them). Names are quoted as SQL quotes them
 * (`table:sales."Order Items"`); build ids with objectId() and functionId().
 */
export type ObjectId = string

/** What every top-level object carries. */
export interface ObjectBase {
  readonly id: ObjectId
  readonly schema: string
  readonly name: string
  /** COMMENT ON, or null. */
  readonly comment: string | null
  /**
   * Objects this one needs to exist first (from pg_depend, normal and automatic dependencies,
   * mapped onto top-level objects; self-references, pg_catalog and extension members left out).
   * Sorted.
   */
  readonly dependsOn: readonly ObjectId[]
}

export interface SchemaDef {
  readonly id: ObjectId
  readonly name: string
  readonly comment: string | null
}

export interface ExtensionDef {
  readonly id: ObjectId
  readonly name: string
  /** The schema its objects live in. */
  readonly schema: string
  readonly version: string
  readonly comment: string | null
}

export interface CollationDef extends ObjectBase {
  /** `icu`, `libc` or `default`. */
  readonly provider: string
  readonly locale: string | null
  readonly lcCollate: string | null
  readonly lcCtype: string | null
  readonly deterministic: boolean
}

export interface EnumTypeDef extends ObjectBase {
  readonly kind: 'enum'
  /** Labels in their sort order. */
  readonly labels: readonly string[]
}

export interface DomainConstraintDef {
  readonly name: string
  /** pg_get_constraintdef: `CHECK ((VALUE > 0))`. */
  readonly definition: string
  readonly validated: boolean
}

export interface DomainTypeDef extends ObjectBase {
  readonly kind: 'domain'
  /** format_type of the base type, with typmod: `numeric(12,2)`. */
  readonly baseType: string
  readonly notNull: boolean
  readonly default: string | null
  readonly collation: string | null
  /** Sorted by name. */
  readonly constraints: readonly DomainConstraintDef[]
}

export interface CompositeAttributeDef {
  readonly name: string
  readonly type: string
  readonly collation: string | null
}

export interface CompositeTypeDef extends ObjectBase {
  readonly kind: 'composite'
  /** In attribute order. */
  readonly attributes: readonly CompositeAttributeDef[]
}

export interface RangeTypeDef extends ObjectBase {
  readonly kind: 'range'
  readonly subtype: string
  /** Operator class of the subtype when it is not the default one, qualified. */
  readonly subtypeOpclass: string | null
  readonly collation: string | null
  /** Qualified function names, or null. */
  readonly canonical: string | null
  readonly subtypeDiff: string | null
  /** The multirange type PostgreSQL 14+ creates with it. */
  readonly multirangeName: string | null
}

export type TypeDef = EnumTypeDef | DomainTypeDef | CompositeTypeDef | RangeTypeDef

export interface SequenceDef extends ObjectBase {
  /** smallint, integer or bigint. */
  readonly dataType: string
  // bigint values stay strings so that no precision is lost in JSON
  readonly start: string
  readonly increment: string
  readonly min: string
  readonly max: string
  readonly cache: string
  readonly cycle: boolean
  /** OWNED BY, or null. Identity sequences are not listed here: they belong to their column. */
  readonly ownedBy: { readonly table: ObjectId; readonly column: string } | null
  /** Whether it backs a SERIAL column (owned, and the column default is its nextval). */
  readonly isSerial: boolean
}

export interface IdentityDef {
  readonly generation: 'always' | 'by default'
  /** The identity sequence's own name (PostgreSQL names it, but it may have been renamed). */
  readonly sequenceName: string
  readonly start: string
  readonly increment: string
  readonly min: string
  readonly max: string
  readonly cache: string
  readonly cycle: boolean
}

export interface ColumnDef {
  readonly name: string
  /** format_type(atttypid, atttypmod): `character varying(120)`, `public.mood[]`. */
  readonly type: string
  readonly notNull: boolean
  /** pg_get_expr of the default, or null. Null for identity and generated columns. */
  readonly default: string | null
  readonly identity: IdentityDef | null
  /** The expression of a GENERATED ALWAYS AS (...) STORED column, or null. */
  readonly generated: string | null
  /** Qualified collation when it differs from the type's default, else null. */
  readonly collation: string | null
  /** attstorage when it differs from the type's default (`plain`, `external`, `extended`, `main`). */
  readonly storage: string | null
  /** Statistics target when set (attstattarget >= 0), else null. */
  readonly statistics: number | null
  readonly comment: string | null
  /** Whether the column is inherited from a parent (partition or INHERITS) and not declared locally. */
  readonly inherited: boolean
}

export type ConstraintKind = 'primary_key' | 'unique' | 'foreign_key' | 'check' | 'exclusion'

export interface ConstraintDef {
  readonly name: string
  readonly kind: ConstraintKind
  /** pg_get_constraintdef: `FOREIGN KEY (customer_id) REFERENCES sales.customers(id) ON DELETE CASCADE`. */
  readonly definition: string
  /** Local columns, in key order (empty for a table-wide check). */
  readonly columns: readonly string[]
  /** The referenced table of a foreign key, else null. */
  readonly references: ObjectId | null
  readonly deferrable: boolean
  readonly initiallyDeferred: boolean
  /** False for a constraint added NOT VALID and not validated since. */
  readonly validated: boolean
  readonly comment: string | null
}

export interface IndexDef {
  readonly name: string
  /** pg_get_indexdef: `CREATE UNIQUE INDEX orders_ref ON sales.orders USING btree (lower(ref))`. */
  readonly definition: string
  readonly unique: boolean
  /** Key columns (null entries stand for expressions), then INCLUDE columns after `keyCount`. */
  readonly columns: readonly (string | null)[]
  readonly keyCount: number
  readonly method: string
  /** The WHERE of a partial index, or null. */
  readonly predicate: string | null
  readonly hasExpressions: boolean
  /**
   * False for an index a killed CREATE INDEX CONCURRENTLY left behind: it exists but is not
   * used or maintained, so the diff rebuilds it.
   */
  readonly valid: boolean
  /** For an index of a partition: the partitioned index it is attached to, qualified, or null. */
  readonly parentIndex: string | null
  readonly comment: string | null
}

export interface TriggerDef {
  readonly name: string
  /** pg_get_triggerdef. */
  readonly definition: string
  /** O (origin, the default), D (disabled), R (replica), A (always). */
  readonly enabled: 'O' | 'D' | 'R' | 'A'
  readonly isConstraint: boolean
  readonly function: ObjectId
  readonly comment: string | null
}

export interface PolicyDef {
  readonly name: string
  readonly permissive: boolean
  /** ALL, SELECT, INSERT, UPDATE or DELETE. */
  readonly command: string
  /** Role names, sorted; `public` for PUBLIC. */
  readonly roles: readonly string[]
  readonly using: string | null
  readonly withCheck: string | null
  readonly comment: string | null
}

export interface TableDef extends ObjectBase {
  readonly kind: 'table' | 'partitioned'
  readonly persistence: 'permanent' | 'unlogged'
  /** In physical order, dropped columns left out. */
  readonly columns: readonly ColumnDef[]
  /** pg_get_partkeydef of a partitioned table: `RANGE (created_at)`, else null. */
  readonly partitionKey: string | null
  /** The parent and bound of a partition: `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`. */
  readonly partitionOf: { readonly parent: ObjectId; readonly bound: string } | null
  /** INHERITS parents (not partitioning), in inheritance order. */
  readonly inherits: readonly ObjectId[]
  /** reloptions, sorted: `fillfactor=70`. */
  readonly storageParameters: readonly string[]
  readonly replicaIdentity: 'default' | 'full' | 'nothing' | { readonly index: string }
  readonly rowSecurity: boolean
  readonly forceRowSecurity: boolean
  /** Sorted by name; inherited (non-local) constraints left out. */
  readonly constraints: readonly ConstraintDef[]
  /** Sorted by name; indexes that implement a constraint left out. */
  readonly indexes: readonly IndexDef[]
  /** Sorted by name; internal triggers (FK enforcement) left out. */
  readonly triggers: readonly TriggerDef[]
  /** Sorted by name. */
  readonly policies: readonly PolicyDef[]
}

export interface ViewDef extends ObjectBase {
  readonly kind: 'view' | 'materialized'
  /** pg_get_viewdef(oid, true). */
  readonly definition: string
  /** Output columns in order, with their types. */
  readonly columns: readonly { readonly name: string; readonly type: string }[]
  /** reloptions, sorted (`security_barrier=true`, `check_option=local`). */
  readonly options: readonly string[]
  /** Indexes of a materialized view, sorted by name. */
  readonly indexes: readonly IndexDef[]
  /** Triggers of a view (INSTEAD OF, statement-level), sorted by name; always empty for a materialized view. */
  readonly triggers: readonly TriggerDef[]
  /** Column comments, by column name. */
  readonly columnComments: Readonly<Record<string, string>>
}

export interface FunctionDef extends ObjectBase {
  readonly kind: 'function' | 'procedure' | 'aggregate'
  /** pg_get_function_identity_arguments: `a integer, b text`. */
  readonly identityArguments: string
  /** pg_get_function_result, or null for a procedure. */
  readonly returns: string | null
  readonly language: string
  /**
   * pg_get_functiondef: the full CREATE OR REPLACE FUNCTION statement; for an aggregate, a
   * CREATE AGGREGATE statement assembled from pg_aggregate.
   */
  readonly definition: string
}

/** A database's schema, as far as the selected schemas go. */
export interface SchemaModel {
  /** server_version_num of the introspected server. */
  readonly serverVersion: number
  readonly schemas: readonly SchemaDef[]
  readonly extensions: readonly ExtensionDef[]
  readonly collations: readonly CollationDef[]
  readonly types: readonly TypeDef[]
  readonly sequences: readonly SequenceDef[]
  readonly tables: readonly TableDef[]
  readonly views: readonly ViewDef[]
  readonly functions: readonly FunctionDef[]
}
