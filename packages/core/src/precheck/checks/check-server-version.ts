import type { Database } from '../../pg/index.js'
import type { MigrationType } from '../../spec/index.js'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { errorMessage, queryRows } from '../query-rows.js'

// logical decoding and pgoutput arrived in PostgreSQL 10
const MIN_INCREMENTAL_VERSION = 100_000

/** Connectivity and server versions of both sides. */
export const checkServerVersion: Precheck = {
  name: 'server version',
  async run(context) {
    const findings: PrecheckFinding[] = []
    const versions: number[] = []
    for (const database of [context.source, context.destination]) {
      try {
        versions.push(await serverVersion(database))
      } catch (error) {
        findings.push({
          code: 'CONNECTIVITY',
          severity: 'error',
          message: `cannot query the ${database.role} database: ${errorMessage(error)}`,
          hint: `Check that the ${database.role} server is up and the URL's role may connect.`,
          object: database.role,
        })
      }
    }
    const [source, destination] = versions
    if (findings.length > 0 || source === undefined || destination === undefined) return findings
    return assessServerVersions(source, destination, context.spec.types)
  },
}

async function serverVersion(database: Database): Promise<number> {
  const [row] = await queryRows<{ version: number }>(
    database,
    "SELECT pg_catalog.current_setting('server_version_num')::int AS version",
  )
  if (row === undefined) throw new Error('server_version_num returned no row')
  return row.version
}

/** Judges a pair of server_version_num values; pure, so every case is testable. */
export function assessServerVersions(
  source: number,
  destination: number,
  types: readonly MigrationType[],
): PrecheckFinding[] {
  const findings: PrecheckFinding[] = []
  if (types.includes('incremental') && source < MIN_INCREMENTAL_VERSION) {
    findings.push({
      code: 'SERVER_VERSION',
      severity: 'error',
      message:
        `the source runs PostgreSQL ${formatVersion(source)}: incremental migration needs ` +
        'logical decoding (pgoutput), which starts with PostgreSQL 10',
      hint: 'Upgrade the source to PostgreSQL 10 or later, or remove incremental from types.',
      object: 'source',
    })
  }
  if (majorOf(destination) < majorOf(source)) {
    // what the older major lacks depends on the objects and SQL used: say so, do not guess
    findings.push({
      code: 'VERSION_DOWNGRADE',
      severity: 'warning',
      message:
        `the destination runs PostgreSQL ${formatVersion(destination)}, older than the source's ` +
        `${formatVersion(source)}: DDL, types or functions the older major lacks will fail`,
      hint:
        'Prefer a destination of the same or a newer major; otherwise review the DDL in the ' +
        'plan.',
      object: 'destination',
    })
  }
  return findings
}

/** The major version: 15 for 150020, 9.6 for 90624. */
export function majorOf(version: number): number {
  return version >= 100_000 ? Math.floor(version / 10_000) : Math.floor(version / 100) / 100
}

/** `15.20` for 150020, `9.6.24` for 90624. */
export function formatVersion(version: number): string {
  if (version >= 100_000) return `${Math.floor(version / 10_000)}.${version % 10_000}`
  return `${Math.floor(version / 10_000)}.${Math.floor(version / 100) % 100}.${version % 100}`
}
