import type {
  ColumnSpec,
  CommentTarget,
  FunctionName,
  IdentitySpec,
  Operation,
  QualifiedName,
  SequenceOptions,
} from '../diff/operation.js'
import { quoteIdentifier, quoteLiteral, quoteQualifiedName } from './quote-identifier.js'

/** One statement to run, with how to run it. */
export interface SqlStatement {
  /** The statement, without a trailing semicolon. */
  readonly sql: string
  /** False when it must run outside a transaction block (CONCURRENTLY, ADD VALUE). */
  readonly transactional: boolean
  /** lock_timeout to run it under, in milliseconds, or null for the session's own. */
  readonly lockTimeoutMs: number | null
}

/**
 * The SQL of one operation. Names are quoted as PostgreSQL's quote_ident() would; definitions
 * and expressions the model holds as canonical SQL (pg_get_*def, pg_get_expr, format_type) are
 * embedded verbatim.
 */
export function renderOperation(operation: Operation): SqlStatement[] {
  return [
    {
      sql: renderSql(operation),
      transactional: operation.transactional,
      lockTimeoutMs: operation.lockTimeoutMs,
    },
  ]
}

function renderSql(op: Operation): string {
  switch (op.kind) {
    case 'create_schema':
      return `CREATE SCHEMA ${quoteIdentifier(op.name)}`
    case 'drop_schema':
      return `DROP SCHEMA ${quoteIdentifier(op.name)}`
    case 'create_extension':
      return (
        `CREATE EXTENSION IF NOT EXISTS ${quoteIdentifier(op.name)} ` +
        `WITH SCHEMA ${quoteIdentifier(op.schema)} VERSION ${quoteLiteral(op.version)}`
      )
    case 'alter_extension_update':
      return `ALTER EXTENSION ${quoteIdentifier(op.name)} UPDATE TO ${quoteLiteral(op.version)}`
    case 'alter_extension_set_schema':
      return `ALTER EXTENSION ${quoteIdentifier(op.name)} SET SCHEMA ${quoteIdentifier(op.schema)}`
    case 'drop_extension':
      return `DROP EXTENSION ${quoteIdentifier(op.name)}`
    case 'create_collation': {
      const options = [`provider = ${op.provider}`]
      if (op.locale !== null) options.push(`locale = ${quoteLiteral(op.locale)}`)
      else {
        if (op.lcCollate !== null) options.push(`lc_collate = ${quoteLiteral(op.lcCollate)}`)
        if (op.lcCtype !== null) options.push(`lc_ctype = ${quoteLiteral(op.lcCtype)}`)
      }
      if (!op.deterministic) options.push('deterministic = false')
      return `CREATE COLLATION ${name(op.collation)} (${options.join(', ')})`
    }
    case 'drop_collation':
      return `DROP COLLATION ${name(op.collation)}`

    case 'create_enum_type':
      return `CREATE TYPE ${name(op.type)} AS ENUM (${op.labels.map(quoteLiteral).join(', ')})`
    case 'create_composite_type': {
      const attributes = op.attributes.map(
        (attribute) =>
          `${quoteIdentifier(attribute.name)} ${attribute.type}${collate(attribute.collation)}`,
      )
      return `CREATE TYPE ${name(op.type)} AS (${attributes.join(', ')})`
    }
    case 'create_range_type': {
      const options = [`SUBTYPE = ${op.subtype}`]
      if (op.subtypeOpclass !== null) options.push(`SUBTYPE_OPCLASS = ${op.subtypeOpclass}`)
      if (op.collation !== null) options.push(`COLLATION = ${op.collation}`)
      if (op.canonical !== null) options.push(`CANONICAL = ${op.canonical}`)
      if (op.subtypeDiff !== null) options.push(`SUBTYPE_DIFF = ${op.subtypeDiff}`)
      if (op.multirangeName !== null) {
        const multirange = quoteQualifiedName(op.type.schema, op.multirangeName)
        options.push(`MULTIRANGE_TYPE_NAME = ${multirange}`)
      }
      return `CREATE TYPE ${name(op.type)} AS RANGE (${options.join(', ')})`
    }
    case 'create_domain': {
      let sql = `CREATE DOMAIN ${name(op.domain)} AS ${op.baseType}${collate(op.collation)}`
      if (op.default !== null) sql += ` DEFAULT ${op.default}`
      if (op.notNull) sql += ' NOT NULL'
      for (const constraint of op.constraints) {
        sql += ` CONSTRAINT ${quoteIdentifier(constraint.name)} ${constraint.definition}`
      }
      return sql
    }
    case 'drop_type':
      return `DROP TYPE ${name(op.type)}`
    case 'drop_domain':
      return `DROP DOMAIN ${name(op.domain)}`
    case 'rename_type':
      return `ALTER TYPE ${name(op.type)} RENAME TO ${quoteIdentifier(op.newName)}`
    case 'rename_domain':
      return `ALTER DOMAIN ${name(op.domain)} RENAME TO ${quoteIdentifier(op.newName)}`
    case 'alter_type_add_value': {
      let sql = `ALTER TYPE ${name(op.type)} ADD VALUE ${quoteLiteral(op.value)}`
      if (op.before !== null) sql += ` BEFORE ${quoteLiteral(op.before)}`
      else if (op.after !== null) sql += ` AFTER ${quoteLiteral(op.after)}`
      return sql
    }
    case 'alter_type_add_attribute':
      return (
        `ALTER TYPE ${name(op.type)} ADD ATTRIBUTE ${quoteIdentifier(op.attribute.name)} ` +
        `${op.attribute.type}${collate(op.attribute.collation)}`
      )
    case 'alter_type_drop_attribute':
      return `ALTER TYPE ${name(op.type)} DROP ATTRIBUTE ${quoteIdentifier(op.attribute)}`
    case 'alter_type_alter_attribute':
      return (
        `ALTER TYPE ${name(op.type)} ALTER ATTRIBUTE ${quoteIdentifier(op.attribute.name)} ` +
        `TYPE ${op.attribute.type}${collate(op.attribute.collation)}`
      )
    case 'alter_domain_set_default':
      return `ALTER DOMAIN ${name(op.domain)} SET DEFAULT ${op.default}`
    case 'alter_domain_drop_default':
      return `ALTER DOMAIN ${name(op.domain)} DROP DEFAULT`
    case 'alter_domain_set_not_null':
      return `ALTER DOMAIN ${name(op.domain)} SET NOT NULL`
    case 'alter_domain_drop_not_null':
      return `ALTER DOMAIN ${name(op.domain)} DROP NOT NULL`
    case 'alter_domain_add_constraint':
      return (
        `ALTER DOMAIN ${name(op.domain)} ADD CONSTRAINT ${quoteIdentifier(op.name)} ` +
        `${op.definition}${op.notValid ? ' NOT VALID' : ''}`
      )
    case 'alter_domain_drop_constraint':
      return `ALTER DOMAIN ${name(op.domain)} DROP CONSTRAINT ${quoteIdentifier(op.name)}`
    case 'alter_domain_validate_constraint':
      return `ALTER DOMAIN ${name(op.domain)} VALIDATE CONSTRAINT ${quoteIdentifier(op.name)}`

    case 'create_sequence':
      return `CREATE SEQUENCE ${name(op.sequence)} ${sequenceOptions(op.options, '')}`
    case 'alter_sequence':
      return `ALTER SEQUENCE ${name(op.sequence)} ${sequenceOptions(op.options, '')}`
    case 'alter_sequence_owned_by': {
      const owner = op.ownedBy
      const target =
        owner === null
          ? 'NONE'
          : `${quoteQualifiedName(owner.schema, owner.table)}.${quoteIdentifier(owner.column)}`
      return `ALTER SEQUENCE ${name(op.sequence)} OWNED BY ${target}`
    }
    case 'rename_sequence':
      return `ALTER SEQUENCE ${name(op.sequence)} RENAME TO ${quoteIdentifier(op.newName)}`
    case 'drop_sequence':
      return `DROP SEQUENCE ${name(op.sequence)}`

    case 'create_table': {
      const unlogged = op.persistence === 'unlogged' ? 'UNLOGGED ' : ''
      const prefix = `CREATE ${unlogged}TABLE ${name(op.table)}`
      let sql: string
      if (op.partitionOf !== null) {
        sql = `${prefix} PARTITION OF ${name(op.partitionOf.parent)} ${op.partitionOf.bound}`
      } else {
        const columns = op.columns.map(
          (column) => `    ${columnDefinition(column, op.table.schema)}`,
        )
        sql = columns.length === 0 ? `${prefix} ()` : `${prefix} (\n${columns.join(',\n')}\n)`
        if (op.inherits.length > 0) sql += ` INHERITS (${op.inherits.map(name).join(', ')})`
      }
      if (op.partitionKey !== null) sql += ` PARTITION BY ${op.partitionKey}`
      if (op.storageParameters.length > 0) sql += ` WITH (${parameters(op.storageParameters)})`
      return sql
    }
    case 'drop_table':
      return `DROP TABLE ${name(op.table)}`
    case 'set_logged':
      return `ALTER TABLE ${name(op.table)} SET LOGGED`
    case 'set_unlogged':
      return `ALTER TABLE ${name(op.table)} SET UNLOGGED`
    case 'set_storage_parameters':
      return `ALTER TABLE ${name(op.table)} SET (${parameters(op.parameters)})`
    case 'reset_storage_parameters':
      return `ALTER TABLE ${name(op.table)} RESET (${op.parameters.join(', ')})`
    case 'set_replica_identity': {
      const identity =
        typeof op.identity === 'object'
          ? `USING INDEX ${quoteIdentifier(op.identity.index)}`
          : op.identity.toUpperCase()
      return `ALTER TABLE ${name(op.table)} REPLICA IDENTITY ${identity}`
    }
    case 'enable_row_security':
      return `ALTER TABLE ${name(op.table)} ENABLE ROW LEVEL SECURITY`
    case 'disable_row_security':
      return `ALTER TABLE ${name(op.table)} DISABLE ROW LEVEL SECURITY`
    case 'force_row_security':
      return `ALTER TABLE ${name(op.table)} FORCE ROW LEVEL SECURITY`
    case 'no_force_row_security':
      return `ALTER TABLE ${name(op.table)} NO FORCE ROW LEVEL SECURITY`
    case 'attach_partition':
      return `ALTER TABLE ${name(op.parent)} ATTACH PARTITION ${name(op.partition)} ${op.bound}`
    case 'detach_partition':
      return (
        `ALTER TABLE ${name(op.parent)} DETACH PARTITION ${name(op.partition)}` +
        (op.concurrently ? ' CONCURRENTLY' : '')
      )
    case 'inherit':
      return `ALTER TABLE ${name(op.table)} INHERIT ${name(op.parent)}`
    case 'no_inherit':
      return `ALTER TABLE ${name(op.table)} NO INHERIT ${name(op.parent)}`

    case 'add_column':
      const column = columnDefinition(op.column, op.table.schema)
      return `ALTER TABLE ${name(op.table)} ADD COLUMN ${column}`
    case 'drop_column':
      return `ALTER TABLE ${name(op.table)} DROP COLUMN ${quoteIdentifier(op.column)}`
    case 'alter_column_type': {
      const column = quoteIdentifier(op.column)
      let sql = `${alterColumn(op)} TYPE ${op.dataType}${collate(op.collation)}`
      if (op.using === 'cast') sql += ` USING ${column}::${op.dataType}`
      if (op.using === 'cast_via_text') sql += ` USING ${column}::text::${op.dataType}`
      return sql
    }
    case 'alter_column_set_default':
      return `${alterColumn(op)} SET DEFAULT ${op.default}`
    case 'alter_column_drop_default':
      return `${alterColumn(op)} DROP DEFAULT`
    case 'alter_column_set_not_null':
      return `${alterColumn(op)} SET NOT NULL`
    case 'alter_column_drop_not_null':
      return `${alterColumn(op)} DROP NOT NULL`
    case 'alter_column_add_identity':
      return `${alterColumn(op)} ADD ${identity(op.identity, op.table.schema)}`
    case 'alter_column_set_identity': {
      const parts: string[] = []
      if (op.generation !== null) parts.push(`SET GENERATED ${op.generation.toUpperCase()}`)
      const options = sequenceOptions(op.options, 'SET ')
      if (options !== '') parts.push(options)
      return `${alterColumn(op)} ${parts.join(' ')}`
    }
    case 'alter_column_drop_identity':
      return `${alterColumn(op)} DROP IDENTITY`
    case 'alter_column_set_expression':
      return `${alterColumn(op)} SET EXPRESSION AS (${op.expression})`
    case 'alter_column_drop_expression':
      return `${alterColumn(op)} DROP EXPRESSION`
    case 'alter_column_set_storage':
      return `${alterColumn(op)} SET STORAGE ${op.storage.toUpperCase()}`
    case 'alter_column_set_statistics':
      return `${alterColumn(op)} SET STATISTICS ${op.statistics}`

    case 'add_constraint': {
      const prefix = `ALTER TABLE ${name(op.table)} ADD CONSTRAINT ${quoteIdentifier(op.name)}`
      if (op.usingIndex !== null) {
        const kind = op.constraintKind === 'primary_key' ? 'PRIMARY KEY' : 'UNIQUE'
        return `${prefix} ${kind} USING INDEX ${quoteIdentifier(op.usingIndex)}`
      }
      return `${prefix} ${op.definition}${op.notValid ? ' NOT VALID' : ''}`
    }
    case 'add_not_null_check':
      return (
        `ALTER TABLE ${name(op.table)} ADD CONSTRAINT ${quoteIdentifier(op.name)} ` +
        `CHECK (${quoteIdentifier(op.column)} IS NOT NULL) NOT VALID`
      )
    case 'drop_constraint':
      return `ALTER TABLE ${name(op.table)} DROP CONSTRAINT ${quoteIdentifier(op.name)}`
    case 'validate_constraint':
      return `ALTER TABLE ${name(op.table)} VALIDATE CONSTRAINT ${quoteIdentifier(op.name)}`

    case 'create_index':
      return op.concurrently
        ? op.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ')
        : op.definition
    case 'create_constraint_index': {
      const columns = /\((.*)\)$/.exec(op.constraintDefinition)?.[1] ?? ''
      return (
        `CREATE UNIQUE INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}` +
        `${quoteIdentifier(op.index.name)} ON ${name(op.table)} (${columns})`
      )
    }
    case 'drop_index':
      return `DROP INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}${name(op.index)}`
    case 'rename_index':
      return `ALTER INDEX ${name(op.index)} RENAME TO ${quoteIdentifier(op.newName)}`
    case 'attach_index':
      return `ALTER INDEX ${name(op.parentIndex)} ATTACH PARTITION ${name(op.index)}`

    case 'create_view': {
      const materialized = op.viewKind === 'materialized'
      const sql =
        `CREATE ${materialized ? 'MATERIALIZED ' : ''}VIEW ${name(op.view)}` +
        `${withOptions(op.options)} AS\n${viewQuery(op.definition)}`
      // Filled by REFRESH in post-data, once the tables it reads hold their data.
      return materialized ? `${sql}\n  WITH NO DATA` : sql
    }
    case 'replace_view':
      return (
        `CREATE OR REPLACE VIEW ${name(op.view)}${withOptions(op.options)} AS\n` +
        viewQuery(op.definition)
      )
    case 'drop_view':
      return `DROP ${op.viewKind === 'materialized' ? 'MATERIALIZED ' : ''}VIEW ${name(op.view)}`
    case 'refresh_materialized_view':
      return `REFRESH MATERIALIZED VIEW ${name(op.view)}`

    case 'create_function':
    case 'replace_function':
      // pg_get_functiondef is a complete CREATE OR REPLACE statement.
      return op.definition.replace(/[\s;]+$/, '')
    case 'drop_function':
      return `DROP ${op.routineKind.toUpperCase()} ${functionName(op.function)}`

    case 'create_trigger':
      return op.definition.replace(/[\s;]+$/, '')
    case 'drop_trigger':
      return `DROP TRIGGER ${quoteIdentifier(op.name)} ON ${name(op.table)}`
    case 'enable_trigger': {
      const mode = op.mode === 'origin' ? '' : `${op.mode.toUpperCase()} `
      return `ALTER TABLE ${name(op.table)} ENABLE ${mode}TRIGGER ${quoteIdentifier(op.name)}`
    }
    case 'disable_trigger':
      return `ALTER TABLE ${name(op.table)} DISABLE TRIGGER ${quoteIdentifier(op.name)}`

    case 'create_policy': {
      let sql =
        `CREATE POLICY ${quoteIdentifier(op.name)} ON ${name(op.table)} ` +
        `AS ${op.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${op.command} TO ${roles(op.roles)}`
      if (op.using !== null) sql += ` USING (${op.using})`
      if (op.withCheck !== null) sql += ` WITH CHECK (${op.withCheck})`
      return sql
    }
    case 'alter_policy': {
      let sql = `ALTER POLICY ${quoteIdentifier(op.name)} ON ${name(op.table)}`
      if (op.roles !== null) sql += ` TO ${roles(op.roles)}`
      if (op.using !== null) sql += ` USING (${op.using})`
      if (op.withCheck !== null) sql += ` WITH CHECK (${op.withCheck})`
      return sql
    }
    case 'drop_policy':
      return `DROP POLICY ${quoteIdentifier(op.name)} ON ${name(op.table)}`

    case 'comment_on':
      return (
        `COMMENT ON ${commentTarget(op.target)} ` +
        `IS ${op.comment === null ? 'NULL' : quoteLiteral(op.comment)}`
      )
  }
}

function name(qualified: QualifiedName): string {
  return quoteQualifiedName(qualified.schema, qualified.name)
}

function functionName(routine: FunctionName): string {
  return `${name(routine)}(${routine.identityArguments})`
}

function collate(collation: string | null): string {
  return collation === null ? '' : ` COLLATE ${collation}`
}

function alterColumn(op: { readonly table: QualifiedName; readonly column: string }): string {
  return `ALTER TABLE ${name(op.table)} ALTER COLUMN ${quoteIdentifier(op.column)}`
}

function columnDefinition(column: ColumnSpec, schema: string): string {
  let sql = `${quoteIdentifier(column.name)} ${column.type}${collate(column.collation)}`
  if (column.identity !== null) sql += ` ${identity(column.identity, schema)}`
  else if (column.generated !== null) sql += ` GENERATED ALWAYS AS (${column.generated}) STORED`
  else if (column.default !== null) sql += ` DEFAULT ${column.default}`
  if (column.notNull) sql += ' NOT NULL'
  return sql
}

function identity(spec: IdentitySpec, schema: string): string {
  const options = [`SEQUENCE NAME ${quoteQualifiedName(schema, spec.sequenceName)}`]
  const rest = sequenceOptions(spec.options, '')
  if (rest !== '') options.push(rest)
  return `GENERATED ${spec.generation.toUpperCase()} AS IDENTITY (${options.join(' ')})`
}

/** Sequence options in CREATE SEQUENCE order; `prefix` is `SET ` inside ALTER COLUMN. */
function sequenceOptions(options: SequenceOptions, prefix: string): string {
  const parts: string[] = []
  if (options.dataType !== undefined) parts.push(`AS ${options.dataType}`)
  if (options.start !== undefined) parts.push(`${prefix}START WITH ${options.start}`)
  if (options.increment !== undefined) parts.push(`${prefix}INCREMENT BY ${options.increment}`)
  if (options.min !== undefined) parts.push(`${prefix}MINVALUE ${options.min}`)
  if (options.max !== undefined) parts.push(`${prefix}MAXVALUE ${options.max}`)
  if (options.cache !== undefined) parts.push(`${prefix}CACHE ${options.cache}`)
  if (options.cycle !== undefined) parts.push(`${prefix}${options.cycle ? 'CYCLE' : 'NO CYCLE'}`)
  return parts.join(' ')
}

/** reloptions as WITH / SET lists: `fillfactor=70`, values quoted unless plain words. */
function parameters(list: readonly string[]): string {
  return list
    .map((parameter) => {
      const at = parameter.indexOf('=')
      if (at < 0) return parameter
      const value = parameter.slice(at + 1)
      const plain = /^[A-Za-z0-9_.+-]+$/.test(value)
      return `${parameter.slice(0, at)}=${plain ? value : quoteLiteral(value)}`
    })
    .join(', ')
}

function withOptions(options: readonly string[]): string {
  return options.length === 0 ? '' : ` WITH (${parameters(options)})`
}

/** pg_get_viewdef's query, without the semicolon it ends with. */
function viewQuery(definition: string): string {
  return definition.replace(/[\s;]+$/, '').replace(/^\s*\n/, '')
}

function roles(list: readonly string[]): string {
  if (list.length === 0) return 'PUBLIC'
  return list.map((role) => (role === 'public' ? 'PUBLIC' : quoteIdentifier(role))).join(', ')
}

function commentTarget(target: CommentTarget): string {
  switch (target.kind) {
    case 'schema':
      return `SCHEMA ${quoteIdentifier(target.name)}`
    case 'extension':
      return `EXTENSION ${quoteIdentifier(target.name)}`
    case 'collation':
    case 'type':
    case 'domain':
    case 'sequence':
    case 'table':
    case 'view':
    case 'index':
      return `${target.kind.toUpperCase()} ${name(target)}`
    case 'materialized_view':
      return `MATERIALIZED VIEW ${name(target)}`
    case 'function':
    case 'procedure':
    case 'aggregate':
      return `${target.kind.toUpperCase()} ${functionName(target)}`
    case 'column':
      return (
        `COLUMN ${quoteQualifiedName(target.schema, target.table)}.` +
        quoteIdentifier(target.name)
      )
    case 'constraint':
    case 'trigger':
    case 'policy':
      return (
        `${target.kind.toUpperCase()} ${quoteIdentifier(target.name)} ` +
        `ON ${quoteQualifiedName(target.schema, target.table)}`
      )
    case 'domain_constraint':
      return (
        `CONSTRAINT ${quoteIdentifier(target.name)} ` +
        `ON DOMAIN ${quoteQualifiedName(target.schema, target.domain)}`
      )
  }
}
