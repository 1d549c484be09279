import { openDatabase } from '../pg/index.js'
import type { Database } from '../pg/index.js'
import type { PrecheckOptions } from '../precheck/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { compilePlan } from './compile-plan.js'
import { inspectDatabases } from './inspect-databases.js'
import type { Plan } from './plan.js'
import { readCopyEstimates } from './read-copy-estimates.js'

/**
 * `pgshift plan`: connects to both databases, reads them (nothing is written anywhere), and
 * compiles the plan.
 */
export async function makePlan(spec: MigrationSpec, options: { readonly precheck?: PrecheckOptions } = {}): Promise<Plan> {
  const source = await openDatabase(spec.source.url, { role: 'source', maxConnections: 4 })
  let destination: Database | undefined
  try {
    destination = await openDatabase(spec.destination.url, { role: 'destination', maxConnections: 4 })
    const inspection = await inspectDatabases(source, destination, spec, options)
    return compilePlan(spec, inspection, await readCopyEstimates(source, spec, inspection))
  } finally {
    await Promise.all([source.close(), destination?.close()])
  }
}
