import type { Plan } from './plan.js'

/**
 * plan.json: the plan as built (keys in the order compilePlan writes them), two-space
 * indented, newline at the end. No timestamps, no secrets: byte-identical for the same inputs.
 */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`
}
