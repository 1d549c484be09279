import { introspectSchema } from '@pgshift/schema-diff'
import type { SchemaModel } from '@pgshift/schema-diff'
import type { Database } from '../pg/index.js'
import type { MigrationSpec } from '../spec/index.js'
import type { PrecheckFinding } from './precheck-finding.js'
import { resolveSelection } from '../selection/index.js'
import { readOwnedObjects } from '../state/index.js'
import type { ResolvedSelection } from '../selection/index.js'

/** Tunables of the prechecks; every field has a default. */
export interface PrecheckOptions {
  /** Source transactions open longer than this are reported; 5 minutes by default. */
  readonly longTransactionMs?: number
  /** How long the source's WAL write rate is sampled; 1 s by default (0 skips the sample). */
  readonly walSampleMs?: number
  /** The copy rate the WAL retention estimate assumes, bytes per second; 100 MB/s by default. */
  readonly copyBytesPerSecond?: number
}

/** {@link PrecheckOptions} with the defaults filled in. */
export type ResolvedPrecheckOptions = Required<PrecheckOptions>

export const PRECHECK_DEFAULTS: ResolvedPrecheckOptions = {
  longTransactionMs: 5 * 60_000,
  walSampleMs: 1_000,
  copyBytesPerSecond: 100 * 1024 * 1024,
}

/** Everything a check may look at. Checks read it; none of them writes anywhere. */
export interface PrecheckContext {
  readonly spec: MigrationSpec
  readonly source: Database
  readonly destination: Database
  /** The whole source database (not only the selection), so outside objects can be named. */
  readonly sourceModel: SchemaModel
  readonly destinationModel: SchemaModel
  readonly selection: ResolvedSelection
  /** Destination object ids earlier runs of this migration created: not conflicts. */
  readonly owned: ReadonlySet<string>
  readonly options: ResolvedPrecheckOptions
}

/** One precheck: a name shown when it cannot run, and the function that runs it. */
export interface Precheck {
  readonly name: string
  /** Resolves to the findings; rejects only when the check itself cannot run. */
  run(context: PrecheckContext): Promise<readonly PrecheckFinding[]>
}

/** What {@link createPrecheckContext} needs: open databases and the spec. */
export interface CreatePrecheckContextInput {
  readonly spec: MigrationSpec
  readonly source: Database
  readonly destination: Database
  /** Already introspected models, to save the round trips (the whole database each). */
  readonly sourceModel?: SchemaModel
  readonly destinationModel?: SchemaModel
  /** Read from the destination's state schema when not given. */
  readonly owned?: ReadonlySet<string>
  readonly options?: PrecheckOptions
}

/** Introspects both databases (unless given) and resolves the selection. */
export async function createPrecheckContext(
  input: CreatePrecheckContextInput,
): Promise<PrecheckContext> {
  const [sourceModel, destinationModel, owned] = await Promise.all([
    input.sourceModel ?? introspectSchema(input.source.kysely),
    input.destinationModel ?? introspectSchema(input.destination.kysely),
    input.owned ?? readOwnedObjects(input.destination.pool, input.spec.metadata.name),
  ])
  return {
    spec: input.spec,
    source: input.source,
    destination: input.destination,
    sourceModel,
    destinationModel,
    selection: resolveSelection(input.spec, sourceModel),
    owned,
    options: { ...PRECHECK_DEFAULTS, ...definedOnly(input.options ?? {}) },
  }
}

function definedOnly(options: PrecheckOptions): PrecheckOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined))
}

/** Whether the spec asks for incremental migration. */
export function isIncremental(context: PrecheckContext): boolean {
  return context.spec.types.includes('incremental')
}
