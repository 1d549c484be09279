// Shared set-up of the validation tests: a source filled by SQL, migrated with pgshift's own
// engine (pre-data schema, full copy, post-data schema), the spec both loaded and written to a
// file for the CLI.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestContext } from 'node:test'
import { prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import type { MigrationSpec } from '../../packages/core/src/spec/index.js'
import { validateMigration } from '../../packages/core/src/validate/index.js'
import type { ValidateMigrationOptions, ValidationReport } from '../../packages/core/src/validate/index.js'
import { runCli, writeSpec } from '../apply/apply-kit.js'
import type { ApplyPair, CliRun } from '../apply/apply-kit.js'
import { createDestinationSchema, createPair, finishDestinationSchema, loadSpec } from '../copy/copy-test-kit.js'
import type { CopyPair } from '../copy/copy-test-kit.js'
import { withClient } from '../support/test-databases.js'

export interface MigratedPair extends CopyPair {
  readonly spec: MigrationSpec
  /** The spec written to a file, for `pgshift validate --spec`. */
  readonly specFile: string
  /** Runs `pgshift <args>` in this process against the pair. */
  cli(args: readonly string[]): Promise<CliRun>
  /** Runs SQL on the source or the destination. */
  sql(side: 'source' | 'destination', text: string): Promise<void>
  validate(options?: ValidateMigrationOptions): Promise<ValidationReport>
}

/**
 * Two fresh databases; `setup` run on the source (then ANALYZE), the spec `body` (objects,
 * options YAML) applied with pgshift's schema step and full copy, keys and indexes built.
 */
export async function migratedPair(t: TestContext, setup: string, body: string): Promise<MigratedPair> {
  const pair = await createPair(t)
  const sql = (side: 'source' | 'destination', text: string) =>
    withClient(side === 'source' ? pair.sourceDb.url : pair.destinationDb.url, async (client) => {
      await client.query(text)
    })
  await sql('source', setup)
  await sql('source', 'ANALYZE')
  const spec = await loadSpec(pair, body, 'validate-test')
  await createDestinationSchema(pair, spec)
  const plan = await prepareCopyPlan(pair.source, pair.destination, spec)
  await runFullCopy({ source: pair.source, destination: pair.destination, spec, plan })
  await finishDestinationSchema(pair, spec)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pgshift-validate-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const cliPair: ApplyPair = {
    source: pair.sourceDb,
    destination: pair.destinationDb,
    dir,
    env: { SOURCE_URL: pair.sourceDb.url, TARGET_URL: pair.destinationDb.url },
  }
  const specFile = await writeSpec(cliPair, body, 'validate-test')
  return {
    ...pair,
    spec,
    specFile,
    cli: (args) => runCli(cliPair, args),
    sql,
    validate: (options) =>
      validateMigration({ source: pair.source, destination: pair.destination, spec, options }),
  }
}
