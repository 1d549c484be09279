import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'

/** Partitioned parents selected without all of their partitions, and partitions without parents. */
export const checkPartitionSelection: Precheck = {
  name: 'partitions',
  async run(context) {
    const selectedIds = new Set(context.selection.tables.map((selected) => selected.table.id))
    const nameOf = (id: string) => id.slice(id.indexOf(':') + 1)
    const findings: PrecheckFinding[] = []
    const missingByParent = new Map<string, string[]>()
    for (const table of context.sourceModel.tables) {
      const parent = table.partitionOf?.parent
      if (parent === undefined || selectedIds.has(table.id) || !selectedIds.has(parent)) continue
      missingByParent.set(parent, [...(missingByParent.get(parent) ?? []), nameOf(table.id)])
    }
    for (const [parent, partitions] of missingByParent) {
      findings.push({
        code: 'PARTITION_SELECTION',
        severity: 'error',
        message:
          `partitioned table ${nameOf(parent)} is selected without its partitions ` +
          `${partitions.join(', ')}: their rows would be missing, and rows routed to them on ` +
          'the destination would fail',
        hint: `Select ${partitions.join(', ')} too (or the whole schema), or leave the parent out.`,
        object: nameOf(parent),
      })
    }
    for (const { table, sourceName } of context.selection.tables) {
      const parent = table.partitionOf?.parent
      if (parent === undefined || selectedIds.has(parent)) continue
      findings.push({
        code: 'PARTITION_SELECTION',
        severity: 'error',
        message:
          `partition ${sourceName} is selected without its parent ${nameOf(parent)}: the ` +
          'destination cannot create a partition of a table it does not have',
        hint: `Select ${nameOf(parent)} with all of its partitions, or leave ${sourceName} out.`,
        object: sourceName,
      })
    }
    return findings
  },
}
