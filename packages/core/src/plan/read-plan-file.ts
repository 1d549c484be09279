import { readFile } from 'node:fs/promises'
import { PLAN_VERSION } from './plan.js'
import type { Plan } from './plan.js'

/** A plan.json that cannot be used: unreadable, not a plan, or another version. */
export class PlanFileError extends Error {
  readonly code = 'PLAN_FILE_INVALID'

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`)
    this.name = 'PlanFileError'
  }
}

/** Reads a plan.json written by `pgshift plan`, checking that it is one this version applies. */
export async function readPlanFile(file: string): Promise<Plan> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new PlanFileError(file, `cannot read the plan: ${(error as Error).message}`)
  }
  const plan = parsed as Partial<Plan> | null
  if (plan === null || typeof plan !== 'object' || typeof plan.fingerprint?.digest !== 'string') {
    throw new PlanFileError(file, 'not a pgshift plan.json (no fingerprint)')
  }
  if (plan.planVersion !== PLAN_VERSION) {
    throw new PlanFileError(file, `plan version ${String(plan.planVersion)}; this pgshift applies version ${PLAN_VERSION}: plan again`)
  }
  return plan as Plan
}
