import { quoteQualifiedName } from '@pgshift/schema-diff'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'

/** Destination tables (or views) already holding the names selected tables map onto. */
export const checkDestinationConflict: Precheck = {
  name: 'destination conflicts',
  async run(context) {
    // what earlier runs of this migration created is the migration's own, not a conflict
    const existing = new Map<string, string>()
    for (const table of context.destinationModel.tables) {
      if (context.owned.has(table.id)) continue
      existing.set(quoteQualifiedName(table.schema, table.name), 'table')
    }
    for (const view of context.destinationModel.views) {
      if (context.owned.has(view.id)) continue
      const kind = view.kind === 'materialized' ? 'materialized view' : 'view'
      existing.set(quoteQualifiedName(view.schema, view.name), kind)
    }
    const isFail = context.spec.conflicts === 'fail'
    const findings: PrecheckFinding[] = []
    for (const selected of context.selection.tables) {
      const target = selected.destinationQualifiedName
      const kind = existing.get(target)
      if (kind === undefined) continue
      const from = target === selected.sourceName ? '' : ` (from ${selected.sourceName})`
      findings.push(
        isFail
          ? {
              code: 'DESTINATION_CONFLICT',
              severity: 'error',
              message:
                `the destination already has a ${kind} ${target}${from}, and conflicts is fail`,
              hint:
                'Set conflicts: ignore to keep its rows and copy into it, drop it on the ' +
                'destination, or rename the table in the spec.',
              object: target,
            }
          : {
              code: 'DESTINATION_CONFLICT',
              severity: 'warning',
              message:
                `the destination already has a ${kind} ${target}${from}: with conflicts: ` +
                'ignore its rows stay, the copy adds to them and changes overwrite them',
              hint: 'Make sure its definition matches and that its rows do not overlap the copy.',
              object: target,
            },
      )
    }
    return findings
  },
}
