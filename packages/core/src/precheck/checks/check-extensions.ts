import { quoteIdentifier } from '@pgshift/schema-diff'
import type { ExtensionDef } from '@pgshift/schema-diff'
import type { Precheck, PrecheckContext } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { queryRows } from '../query-rows.js'

/**
 * Extensions the selection uses must be installable on the destination: their types,
 * functions and operators are created there by CREATE EXTENSION, never copied.
 */
export const checkExtensions: Precheck = {
  name: 'extensions',
  async run(context) {
    const needed = neededExtensions(context)
    if (needed.length === 0) return []
    const rows = await queryRows<{ name: string }>(
      context.destination,
      'SELECT name FROM pg_catalog.pg_available_extensions WHERE name = ANY ($1::text[])',
      [needed.map((extension) => extension.name)],
    )
    const available = new Set(rows.map((row) => row.name))
    return needed
      .filter((extension) => !available.has(extension.name))
      .map(
        (extension): PrecheckFinding => ({
          code: 'EXTENSION_UNAVAILABLE',
          severity: 'error',
          message:
            `extension ${quoteIdentifier(extension.name)} (${extension.version} on the source) ` +
            'is used by the selection but is not available on the destination server',
          hint:
            `Install ${extension.name} on the destination server (its package, or enable it ` +
            'on the managed service), or leave out the objects that use it.',
          object: quoteIdentifier(extension.name),
        }),
      )
  },
}

/** Every extension with objects in a selected schema, or that a selected table depends on. */
function neededExtensions(context: PrecheckContext): ExtensionDef[] {
  const { spec, selection, sourceModel } = context
  if (spec.objects === null) return [...sourceModel.extensions]
  const schemas = new Set(spec.objects.map((entry) => entry.schema))
  const used = new Set(selection.tables.flatMap((selected) => selected.table.dependsOn))
  return sourceModel.extensions.filter(
    (extension) => schemas.has(extension.schema) || used.has(extension.id),
  )
}
