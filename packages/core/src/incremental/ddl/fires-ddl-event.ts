import type { AstNode } from './ddl-syntax.js'

// Statement node types PostgreSQL 15 runs through its DDL event triggers (the event trigger
// firing matrix), so that the n-th firing of a query string is its n-th statement of these.
const FIRING_TYPES = new Set([
  'AlterCollationStmt', 'AlterDefaultPrivilegesStmt', 'AlterDomainStmt', 'AlterEnumStmt',
  'AlterExtensionContentsStmt', 'AlterExtensionStmt', 'AlterFdwStmt', 'AlterForeignServerStmt',
  'AlterFunctionStmt', 'AlterObjectDependsStmt', 'AlterObjectSchemaStmt', 'AlterOperatorStmt',
  'AlterOpFamilyStmt', 'AlterOwnerStmt', 'AlterPolicyStmt', 'AlterPublicationStmt', 'AlterSeqStmt',
  'AlterStatsStmt', 'AlterTableMoveAllStmt', 'AlterTableStmt',
  'AlterTSConfigurationStmt', 'AlterTSDictionaryStmt', 'AlterTypeStmt', 'AlterUserMappingStmt',
  'CommentStmt', 'CompositeTypeStmt', 'CreateAmStmt', 'CreateCastStmt', 'CreateConversionStmt',
  'CreateDomainStmt', 'CreateEnumStmt', 'CreateExtensionStmt', 'CreateFdwStmt',
  'CreateForeignServerStmt', 'CreateForeignTableStmt', 'CreateFunctionStmt', 'CreateOpClassStmt',
  'CreateOpFamilyStmt', 'CreatePLangStmt', 'CreatePolicyStmt', 'CreatePublicationStmt',
  'CreateRangeStmt', 'CreateSchemaStmt', 'CreateSeqStmt', 'CreateStatsStmt', 'CreateStmt',
  'CreateTableAsStmt', 'CreateTransformStmt', 'CreateTrigStmt',
  'CreateUserMappingStmt', 'DefineStmt', 'DropOwnedStmt', 'DropStmt', 'DropUserMappingStmt',
  'GrantStmt', 'ImportForeignSchemaStmt', 'IndexStmt', 'RefreshMatViewStmt', 'RenameStmt',
  'RuleStmt', 'SecLabelStmt', 'ViewStmt',
])

// Shared (cluster-wide) objects never fire DDL event triggers, whatever statement names them.
const GLOBAL_OBJECT_TYPES = new Set([
  'OBJECT_DATABASE', 'OBJECT_ROLE', 'OBJECT_TABLESPACE', 'OBJECT_EVENT_TRIGGER', 'OBJECT_PARAMETER_ACL',
])

/** Whether a statement fires DDL event triggers (ddl_command_end) when it runs. */
export function firesDdlEvent(statement: AstNode): boolean {
  const [type, fields] = Object.entries(statement)[0] as [string, Record<string, unknown>]
  // SELECT ... INTO creates a table (command tag SELECT INTO)
  if (type === 'SelectStmt') return fields['intoClause'] !== undefined
  if (!FIRING_TYPES.has(type)) return false
  for (const key of ['objtype', 'objectType', 'removeType', 'renameType']) {
    const objectType = fields[key]
    if (typeof objectType === 'string' && GLOBAL_OBJECT_TYPES.has(objectType)) return false
  }
  return true
}
