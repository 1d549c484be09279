import { createHash } from 'node:crypto'
import { topLevelIds, topLevelObjects } from '@pgshift/schema-diff'
import type { SchemaModel } from '@pgshift/schema-diff'
import type { MigrationSpec } from '../spec/index.js'
import type { Inspection } from './inspect-databases.js'
import type { PlanFingerprint } from './plan.js'

/** What a fingerprint is computed from. */
export interface FingerprintInput {
  readonly spec: MigrationSpec
  /** The source's scope of the spec, under source names. */
  readonly scopedSource: SchemaModel
  /** The whole destination model. */
  readonly destinationModel: SchemaModel
  /** Object ids the migration makes the destination hold (the goal, under destination names). */
  readonly goalIds: ReadonlySet<string>
  /** Destination objects earlier runs created: left out, so a resumed apply matches its plan. */
  readonly owned: ReadonlySet<string>
}

/**
 * Digests of the plan's inputs: the spec (without its file path, URLs redacted), every source
 * object the migration reads, and every destination object it may touch that it did not
 * create itself. Pure and stable: model arrays are sorted by id, object keys are emitted in
 * the model's fixed order.
 */
export function planFingerprint(input: FingerprintInput): PlanFingerprint {
  const { sourceFile: _file, ...portable } = input.spec
  const spec = digest(JSON.stringify(portable))
  const source = objectDigests(input.scopedSource, () => true)
  const destination = objectDigests(
    input.destinationModel,
    (id) => input.goalIds.has(id) && !input.owned.has(id),
  )
  const all = JSON.stringify({ spec, source, destination })
  return { digest: digest(all), spec, source, destination }
}

function objectDigests(model: SchemaModel, keep: (id: string) => boolean): Record<string, string> {
  const entries = topLevelObjects(model)
    .filter((object) => keep(object.id))
    .map((object) => [object.id, digest(JSON.stringify(object)).slice(0, 16)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries)
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** The fingerprint of what an inspection saw, as plans record it and `apply --plan` checks it. */
export function inspectionFingerprint(spec: MigrationSpec, inspection: Inspection): PlanFingerprint {
  return planFingerprint({
    spec,
    scopedSource: inspection.schema.scopedSource,
    destinationModel: inspection.destinationModel,
    goalIds: topLevelIds(inspection.schema.target),
    owned: new Set(inspection.owned),
  })
}

/** How the live inputs differ from a plan's: one line per changed object, sorted. */
export function describeDrift(planned: PlanFingerprint, live: PlanFingerprint): string[] {
  const lines: string[] = []
  if (planned.spec !== live.spec) lines.push('the spec changed since the plan was made')
  for (const side of ['source', 'destination'] as const) {
    const before = planned[side]
    const after = live[side]
    for (const id of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const name = id.replace(':', ' ')
      if (!(id in after)) lines.push(`${side}: ${name} was dropped`)
      else if (!(id in before)) lines.push(`${side}: ${name} was added`)
      else if (before[id] !== after[id]) lines.push(`${side}: ${name} changed`)
    }
  }
  return lines
}
