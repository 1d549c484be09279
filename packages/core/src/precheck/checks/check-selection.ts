import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'

/** Schemas and tables the spec names that the source does not have. */
export const checkSelection: Precheck = {
  name: 'selection',
  async run(context) {
    return context.selection.missing.map(
      (missing): PrecheckFinding => ({
        code: 'OBJECT_NOT_FOUND',
        severity: 'error',
        message: `the spec selects ${missing.kind} ${missing.name}, which the source does not have`,
        hint:
          'Fix the name in objects (names are case-sensitive, as in the catalog), or check that ' +
          'the source URL points at the right database.',
        object: missing.name,
      }),
    )
  },
}
