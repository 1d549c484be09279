import { quoteIdentifier } from '@pgshift/schema-diff'
import { isIncremental } from '../precheck-context.js'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { queryRows } from '../query-rows.js'

interface SourceRoleRow {
  readonly role: string
  readonly is_superuser: boolean
  readonly has_replication: boolean
  readonly can_create: boolean
  readonly unreadable: string[]
  readonly not_owned: string[]
}

/**
 * The source role must read every selected table; incremental migration also needs the
 * REPLICATION attribute (the slot), CREATE on the database (the publication) and ownership of
 * the published tables (CREATE PUBLICATION ... FOR TABLE requires it); DDL capture needs an
 * event trigger, which only a superuser can create.
 */
export const checkSourcePrivileges: Precheck = {
  name: 'source privileges',
  async run(context) {
    const names = context.selection.tables.map((selected) => selected.sourceName)
    const [row] = await queryRows<SourceRoleRow>(
      context.source,
      `SELECT r.rolname AS role, r.rolsuper AS is_superuser, r.rolreplication AS has_replication,
              pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')
                AS can_create,
              ARRAY(SELECT t.name FROM unnest($1::text[]) AS t(name)
                     WHERE NOT pg_catalog.has_table_privilege(t.name, 'SELECT')
                     ORDER BY 1) AS unreadable,
              ARRAY(SELECT t.name FROM unnest($1::text[]) AS t(name)
                     JOIN pg_catalog.pg_class c ON c.oid = t.name::regclass
                     WHERE NOT pg_catalog.pg_has_role(c.relowner, 'USAGE')
                     ORDER BY 1) AS not_owned
         FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`,
      [names],
    )
    if (row === undefined) return []
    const role = quoteIdentifier(row.role)
    const findings: PrecheckFinding[] = row.unreadable.map((table) => ({
      code: 'SOURCE_PRIVILEGES',
      severity: 'error',
      message: `the source role ${role} cannot SELECT from ${table}, which the migration copies`,
      hint: `GRANT SELECT ON ${table} TO ${role}; (or GRANT pg_read_all_data TO ${role};)`,
      object: table,
    }))
    if (!isIncremental(context) || row.is_superuser) return findings
    if (!row.has_replication) {
      findings.push({
        code: 'SOURCE_PRIVILEGES',
        severity: 'error',
        message:
          `the source role ${role} has neither REPLICATION nor superuser: incremental ` +
          'migration cannot create its replication slot',
        hint: `ALTER ROLE ${role} REPLICATION; (managed services: grant their replication role)`,
        object: role,
      })
    }
    if (!row.can_create) {
      findings.push({
        code: 'SOURCE_PRIVILEGES',
        severity: 'error',
        message:
          `the source role ${role} lacks CREATE on the source database: incremental migration ` +
          'cannot create its publication',
        hint: `GRANT CREATE ON DATABASE <source database> TO ${role};`,
        object: role,
      })
    }
    for (const table of row.not_owned) {
      findings.push({
        code: 'SOURCE_PRIVILEGES',
        severity: 'error',
        message:
          `the source role ${role} does not own ${table}: only an owner (or a superuser) may ` +
          'add it to the publication incremental migration reads',
        hint: `Connect as the owner of ${table}, or GRANT <owner role> TO ${role};`,
        object: table,
      })
    }
    if (context.spec.options.ddl) {
      findings.push({
        code: 'SOURCE_PRIVILEGES',
        severity: 'error',
        message:
          `the source role ${role} is not a superuser: options.ddl needs an event trigger on ` +
          'the source, and only superusers can create one',
        hint:
          'Connect as a superuser, or set options.ddl: false and apply DDL to both sides ' +
          'yourself.',
        object: role,
      })
    }
    return findings
  },
}
