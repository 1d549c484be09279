import { PGSHIFT_STATE_SCHEMA, quoteIdentifier } from '@pgshift/schema-diff'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { compareText } from '../precheck-finding.js'
import { queryRows } from '../query-rows.js'

interface DestinationRoleRow {
  readonly role: string
  readonly is_superuser: boolean
  readonly can_create: boolean
  readonly can_set_replication_role: boolean
  readonly schemas: { name: string; can_create: boolean }[]
}

/**
 * The destination role creates the target schemas (or objects in existing ones) and pgshift's
 * own state schema: CREATE on the database for schemas that do not exist yet, CREATE on those
 * that do.
 */
export const checkDestinationPrivileges: Precheck = {
  name: 'destination privileges',
  async run(context) {
    const targets = new Set(context.selection.tables.map((selected) => selected.destinationSchema))
    for (const entry of context.spec.objects ?? []) targets.add(entry.destinationSchema)
    const needsObjects = context.spec.types.includes('schema')
    const wanted = [...targets].sort(compareText)
    // GRANT SET ON PARAMETER exists since PostgreSQL 15; before, only superusers may set it
    const canSetRole =
      context.destinationModel.serverVersion >= 150_000
        ? "pg_catalog.has_parameter_privilege('session_replication_role', 'SET')"
        : 'false'
    const [row] = await queryRows<DestinationRoleRow>(
      context.destination,
      `SELECT r.rolname AS role, r.rolsuper AS is_superuser,
              pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')
                AS can_create,
              ${canSetRole} AS can_set_replication_role,
              coalesce((SELECT json_agg(json_build_object('name', n.nspname,
                          'can_create', pg_catalog.has_schema_privilege(n.oid, 'CREATE'))
                          ORDER BY n.nspname)
                  FROM pg_catalog.pg_namespace n
                 WHERE n.nspname = ANY ($1::text[]) OR n.nspname = $2), '[]') AS schemas
         FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`,
      [wanted, PGSHIFT_STATE_SCHEMA],
    )
    if (row === undefined || row.is_superuser) return []
    const role = quoteIdentifier(row.role)
    const existing = new Map(row.schemas.map((schema) => [schema.name, schema.can_create]))
    const findings: PrecheckFinding[] = []
    const missing = [...wanted, PGSHIFT_STATE_SCHEMA].filter((name) => !existing.has(name))
    if (!row.can_create && missing.length > 0) {
      const names = missing.map(quoteIdentifier).join(', ')
      findings.push({
        code: 'DESTINATION_PRIVILEGES',
        severity: 'error',
        message:
          `the destination role ${role} lacks CREATE on the destination database, and must ` +
          `create the schemas ${names} (${quoteIdentifier(PGSHIFT_STATE_SCHEMA)} holds the ` +
          'migration state)',
        hint: `GRANT CREATE ON DATABASE <destination database> TO ${role};`,
        object: role,
      })
    }
    if (!row.can_set_replication_role && context.spec.types.some((type) => type !== 'schema')) {
      findings.push({
        code: 'DESTINATION_PRIVILEGES',
        severity: 'error',
        message:
          `the destination role ${role} may not SET session_replication_role: copying and ` +
          'applying changes run with it set to replica, so that triggers and foreign keys do ' +
          'not fire on rows that already passed them on the source',
        hint:
          `GRANT SET ON PARAMETER session_replication_role TO ${role}; (PostgreSQL 15+), or ` +
          'use a superuser.',
        object: role,
      })
    }
    for (const name of [...wanted, PGSHIFT_STATE_SCHEMA]) {
      const isStateSchema = name === PGSHIFT_STATE_SCHEMA
      if (existing.get(name) !== false || (!needsObjects && !isStateSchema)) continue
      findings.push({
        code: 'DESTINATION_PRIVILEGES',
        severity: 'error',
        message:
          `the destination role ${role} lacks CREATE on schema ${quoteIdentifier(name)}, where ` +
          (isStateSchema ? 'pgshift keeps the migration state' : 'the migration creates tables'),
        hint: `GRANT CREATE, USAGE ON SCHEMA ${quoteIdentifier(name)} TO ${role};`,
        object: quoteIdentifier(name),
      })
    }
    return findings
  },
}
