// Raw rows of the catalog queries, exactly as the SQL shapes them (snake_case keys, one JSON
// document per row, see catalog-query.ts). Oids are numbers (they fit), int8 values arrive as
// strings, arrays as arrays; a `[schema, name]` pair is how every query names an object so that
// quoting happens in one place (TypeScript), not per server version.

/** `[schema, name]` of a catalog object, unquoted. */
export type RawQualifiedName = readonly [schema: string, name: string]

export interface RawSchemaRow {
  readonly oid: number
  readonly name: string
  readonly comment: string | null
  /** The schema was created by an extension (pg_depend deptype 'e'). */
  readonly extension_owned: boolean
}

export interface RawExtensionRow {
  readonly oid: number
  readonly name: string
  readonly schema: string
  readonly version: string
  readonly comment: string | null
}

export interface RawCollationRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  /** collprovider: `c` libc, `i` icu, `d` default, `b` builtin (PG17+). */
  readonly provider: string
  readonly locale: string | null
  readonly lc_collate: string | null
  readonly lc_ctype: string | null
  readonly deterministic: boolean
  readonly comment: string | null
}

export interface RawDomainConstraintRow {
  readonly name: string
  readonly definition: string
  readonly validated: boolean
}

export interface RawCompositeAttributeRow {
  readonly attnum: number
  readonly name: string
  readonly type: string
  readonly collation: RawQualifiedName | null
}

export interface RawTypeRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  /** typtype: `e` enum, `d` domain, `c` composite, `r` range. */
  readonly typtype: 'e' | 'd' | 'c' | 'r'
  readonly comment: string | null
  /** Enum labels in enumsortorder. */
  readonly labels: readonly string[] | null
  readonly base_type: string | null
  readonly not_null: boolean
  readonly default_value: string | null
  /** Domain collation when it differs from the base type's. */
  readonly collation: RawQualifiedName | null
  readonly constraints: readonly RawDomainConstraintRow[] | null
  readonly attributes: readonly RawCompositeAttributeRow[] | null
  readonly subtype: string | null
  readonly subtype_opclass: RawQualifiedName | null
  readonly range_collation: RawQualifiedName | null
  readonly canonical: RawQualifiedName | null
  readonly subtype_diff: RawQualifiedName | null
  readonly multirange_name: string | null
}

export interface RawSequenceRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  readonly data_type: string
  readonly start: string
  readonly increment: string
  readonly min: string
  readonly max: string
  readonly cache: string
  readonly cycle: boolean
  readonly owner_table: RawQualifiedName | null
  readonly owner_column: string | null
  readonly is_serial: boolean
  readonly comment: string | null
}

export interface RawTableRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  readonly relkind: 'r' | 'p'
  /** relpersistence: `p` permanent, `u` unlogged (`t` temp never shows: pg_temp_* is not selectable). */
  readonly persistence: string
  readonly is_partition: boolean
  readonly options: readonly string[] | null
  /** reloptions of the TOAST table, reported as `toast.<option>`. */
  readonly toast_options: readonly string[] | null
  /** relreplident: `d` default, `n` nothing, `f` full, `i` index. */
  readonly replica_identity: string
  readonly replica_index: string | null
  readonly row_security: boolean
  readonly force_row_security: boolean
  readonly partition_key: string | null
  readonly partition_bound: string | null
  /** pg_inherits parents in inhseqno order (one for a partition). */
  readonly parents: readonly RawQualifiedName[]
  readonly comment: string | null
}

export interface RawIdentitySequenceRow {
  readonly oid: number
  readonly name: string
  readonly start: string
  readonly increment: string
  readonly min: string
  readonly max: string
  readonly cache: string
  readonly cycle: boolean
}

export interface RawColumnRow {
  readonly relid: number
  readonly attnum: number
  readonly name: string
  readonly type: string
  readonly not_null: boolean
  /** pg_get_expr of pg_attrdef: a default, or the expression of a generated column. */
  readonly expression: string | null
  /** attgenerated: '' or `s` (stored; `v` virtual on PG18+). */
  readonly generated: string
  /** attidentity: '' or `a` (always) or `d` (by default). */
  readonly identity: string
  readonly identity_sequence: RawIdentitySequenceRow | null
  readonly collation: RawQualifiedName | null
  /** attstorage when it differs from the type's typstorage. */
  readonly storage: string | null
  readonly statistics: number | null
  readonly is_local: boolean
  readonly inherit_count: number
  readonly comment: string | null
}

export interface RawConstraintRow {
  readonly relid: number
  readonly name: string
  /** contype: `p`, `u`, `f`, `c`, `x`. */
  readonly contype: string
  readonly definition: string
  readonly columns: readonly string[]
  readonly references: RawQualifiedName | null
  readonly deferrable: boolean
  readonly deferred: boolean
  readonly validated: boolean
  readonly comment: string | null
}

export interface RawIndexRow {
  readonly relid: number
  readonly name: string
  readonly definition: string
  readonly is_unique: boolean
  /** indkey as names; null where the key is an expression. */
  readonly columns: readonly (string | null)[]
  readonly key_count: number
  readonly method: string
  readonly predicate: string | null
  readonly has_expressions: boolean
  readonly is_valid: boolean
  readonly parent_index: RawQualifiedName | null
  readonly comment: string | null
}

export interface RawTriggerRow {
  readonly relid: number
  readonly name: string
  readonly definition: string
  readonly enabled: 'O' | 'D' | 'R' | 'A'
  readonly is_constraint: boolean
  readonly function_schema: string
  readonly function_name: string
  readonly function_arguments: string
  readonly comment: string | null
}

export interface RawPolicyRow {
  readonly relid: number
  readonly name: string
  readonly permissive: boolean
  /** polcmd: `*` all, `r` select, `a` insert, `w` update, `d` delete. */
  readonly command: string
  readonly roles: readonly string[]
  readonly using_expression: string | null
  readonly check_expression: string | null
  readonly comment: string | null
}

export interface RawViewRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  readonly relkind: 'v' | 'm'
  readonly definition: string
  readonly options: readonly string[] | null
  readonly comment: string | null
}

export interface RawFunctionRow {
  readonly oid: number
  readonly schema: string
  readonly name: string
  /** prokind: `f` function, `p` procedure, `a` aggregate. */
  readonly prokind: 'f' | 'p' | 'a'
  readonly identity_arguments: string
  readonly result: string | null
  readonly language: string
  readonly definition: string
  readonly comment: string | null
}

/**
 * What a dependency endpoint was resolved to: the top-level catalog object standing for it
 * (`relation` = pg_class, `type` = pg_type, `function` = pg_proc, ...), or `other` for catalog
 * objects the model does not describe (operators, languages, ...).
 */
export type RawDependencyKind =
  | 'relation'
  | 'type'
  | 'function'
  | 'collation'
  | 'schema'
  | 'extension'
  | 'other'

export interface RawDependencyRow {
  readonly dependent_kind: RawDependencyKind
  readonly dependent_oid: number
  readonly referenced_kind: RawDependencyKind
  readonly referenced_oid: number
  /** The extension the referenced object belongs to, if it is an extension member. */
  readonly referenced_extension: number | null
}
