import { loadSqlParser } from '../spec/index.js'
import { checkColumnMapping } from './checks/check-column-mapping.js'
import { checkDestinationConflict } from './checks/check-destination-conflict.js'
import { checkDestinationPrivileges } from './checks/check-destination-privileges.js'
import { checkDestinationTablePrivileges } from './checks/check-destination-table-privileges.js'
import { checkExtensions } from './checks/check-extensions.js'
import { checkLongTransactions } from './checks/check-long-transactions.js'
import { checkPartitionSelection } from './checks/check-partition-selection.js'
import { checkReplicaIdentity } from './checks/check-replica-identity.js'
import { checkReplicationCapacity } from './checks/check-replication-capacity.js'
import { checkSelection } from './checks/check-selection.js'
import { checkSequenceSelection } from './checks/check-sequence-selection.js'
import { checkServerVersion } from './checks/check-server-version.js'
import { checkSourcePrivileges } from './checks/check-source-privileges.js'
import { checkTableWithoutKey } from './checks/check-table-without-key.js'
import { checkUnsupportedObjects } from './checks/check-unsupported-objects.js'
import { checkWalLevel } from './checks/check-wal-level.js'
import { checkWalRetention } from './checks/check-wal-retention.js'
import { checkWhereFilters } from './checks/check-where-filters.js'
import type { Precheck, PrecheckContext } from './precheck-context.js'
import { compareFindings } from './precheck-finding.js'
import type { PrecheckFinding } from './precheck-finding.js'
import { errorMessage } from './query-rows.js'

/** Every precheck, in the order DESIGN.md §5 lists them. */
export const PRECHECKS: readonly Precheck[] = [
  checkServerVersion,
  checkSourcePrivileges,
  checkDestinationPrivileges,
  checkDestinationTablePrivileges,
  checkWalLevel,
  checkReplicationCapacity,
  checkSelection,
  checkExtensions,
  checkTableWithoutKey,
  checkDestinationConflict,
  checkUnsupportedObjects,
  checkSequenceSelection,
  checkPartitionSelection,
  checkLongTransactions,
  checkReplicaIdentity,
  checkWhereFilters,
  checkColumnMapping,
  checkWalRetention,
]

/**
 * Runs the prechecks against live databases and returns what they found, errors first, then
 * by code and object. Never rejects for a finding: a check that cannot run (a permission
 * error, a dropped table) becomes a `PRECHECK_FAILED` warning naming it.
 *
 * @example
 * ```ts
 * const context = await createPrecheckContext({ spec, source, destination })
 * const findings = await runPrechecks(context)
 * if (findings.some((finding) => finding.severity === 'error')) process.exitCode = 1
 * ```
 */
export async function runPrechecks(
  context: PrecheckContext,
  checks: readonly Precheck[] = PRECHECKS,
): Promise<PrecheckFinding[]> {
  await loadSqlParser()
  // concurrently: the WAL sample sleeps, the rest are one query each
  const results = await Promise.all(checks.map((check) => runCheck(check, context)))
  return results.flat().sort(compareFindings)
}

async function runCheck(check: Precheck, context: PrecheckContext): Promise<PrecheckFinding[]> {
  try {
    return [...(await check.run(context))]
  } catch (error) {
    return [
      {
        code: 'PRECHECK_FAILED',
        severity: 'warning',
        message: `the ${check.name} check could not run: ${errorMessage(error)}`,
        hint:
          'Fix the cause (often a missing privilege on the source or destination) and plan ' +
          'again.',
        object: check.name,
      },
    ]
  }
}
