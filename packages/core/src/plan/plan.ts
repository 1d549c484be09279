import type { HazardCode, Operation } from '@pgshift/schema-diff'
import type { FidelityNote, PrecheckFinding } from '../precheck/index.js'
import type { MigrationType } from '../spec/index.js'

/** The plan format's version: plan.json files say which one they are. */
export const PLAN_VERSION = 1

/**
 * What `pgshift plan` decided, as plain JSON data: the reviewed artefact. Everything in it is
 * derived from the spec and the two databases; nothing depends on the clock, the machine or a
 * secret, so the same inputs give byte-identical plan.json and plan.md.
 */
export interface Plan {
  readonly planVersion: typeof PLAN_VERSION
  readonly migration: {
    readonly name: string
    readonly description: string | null
    readonly types: readonly MigrationType[]
    readonly conflicts: 'fail' | 'ignore'
  }
  /** Redacted URLs (no password) and server versions. */
  readonly source: PlanEndpoint
  readonly destination: PlanEndpoint
  readonly fingerprint: PlanFingerprint
  readonly summary: PlanSummary
  /** Errors first, then warnings. */
  readonly prechecks: readonly PrecheckFinding[]
  /** What the migration does not carry as the source has it. */
  readonly fidelity: readonly FidelityNote[]
  /** Scope, mapping and kept-object notes. */
  readonly notes: readonly PlanNote[]
  readonly schema: PlanSchema
  readonly copy: PlanCopy | null
  readonly sequences: readonly PlanSequence[]
  readonly incremental: PlanIncremental | null
  /** What `pgshift cutover` will do, in order. */
  readonly cutover: readonly string[]
}

export interface PlanEndpoint {
  readonly url: string
  /** server_version_num. */
  readonly serverVersion: number
}

/**
 * What the plan was computed from, per object: `apply --plan` recomputes these and refuses on
 * any difference, naming the objects. The destination's entries leave out what the migration
 * itself created, so a plan stays valid while its own apply resumes.
 */
export interface PlanFingerprint {
  /** sha256 over everything below. */
  readonly digest: string
  readonly spec: string
  /** Object id → short digest of its definition. */
  readonly source: Readonly<Record<string, string>>
  readonly destination: Readonly<Record<string, string>>
}

export interface PlanSummary {
  readonly tables: number
  /** Sum of the catalog's estimates (reltuples), null when a table was never analyzed. */
  readonly estimatedRows: number | null
  readonly estimatedBytes: number
  readonly preDataStatements: number
  readonly postDataStatements: number
  /** Operations carrying each hazard. */
  readonly hazards: Readonly<Record<HazardCode, number>>
  readonly errors: number
  readonly warnings: number
}

export interface PlanNote {
  readonly code: string
  readonly message: string
}

export interface PlanSchema {
  /** Whether the DDL avoids long locks because tables it alters already hold rows. */
  readonly lockAware: boolean
  readonly preData: readonly PlanOperation[]
  readonly postData: readonly PlanOperation[]
}

/** One schema operation with the SQL it runs. */
export interface PlanOperation {
  readonly kind: Operation['kind']
  readonly id: string
  readonly sql: readonly string[]
  readonly hazards: Operation['hazards']
  readonly transactional: boolean
  readonly lockTimeoutMs: number | null
  readonly note: string | null
}

export interface PlanCopy {
  readonly parallelTables: number
  readonly splitLargerThanBytes: number
  /** Sorted by source table. */
  readonly tables: readonly PlanCopyTable[]
}

export interface PlanCopyTable {
  readonly source: string
  readonly destination: string
  /** Source column → destination column, in source order. */
  readonly columns: readonly { readonly source: string; readonly destination: string }[]
  readonly where: string | null
  /** The source query and the destination COPY. */
  readonly copyOut: string
  readonly copyIn: string
  readonly estimatedRows: number | null
  readonly estimatedBytes: number
  /** How the table is split: one unit, key ranges or heap page ranges. */
  readonly split: 'none' | 'key' | 'pages'
  /** Units it is copied in (estimate: key ranges may be fewer). */
  readonly chunks: number
}

export interface PlanSequence {
  readonly label: string
  readonly source: string
  readonly destination: string
}

export interface PlanIncremental {
  readonly publication: string
  readonly slot: string
  /** Tables whose replica identity is set to FULL for the migration, restored at cutover. */
  readonly replicaIdentityFull: readonly string[]
  /** Whether DDL on the source is captured and replayed (options.ddl). */
  readonly ddlCapture: boolean
}
