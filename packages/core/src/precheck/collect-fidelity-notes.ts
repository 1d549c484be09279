import { quoteQualifiedName } from '@pgshift/schema-diff'
import { matchGlob } from '../spec/index.js'
import { isIncremental } from './precheck-context.js'
import type { PrecheckContext } from './precheck-context.js'
import type { FidelityNote } from './precheck-finding.js'
import { compareText } from './precheck-finding.js'
import { queryRows } from './query-rows.js'

/**
 * What the migration does not carry as the source has it, for the plan to show. One query
 * (large objects); the rest comes from the models.
 */
export async function collectFidelityNotes(context: PrecheckContext): Promise<FidelityNote[]> {
  const notes: FidelityNote[] = []
  const [row] = await queryRows<{ count: string }>(
    context.source,
    'SELECT count(*) AS count FROM pg_catalog.pg_largeobject_metadata',
  )
  const largeObjects = Number(row?.count ?? 0)
  if (largeObjects > 0) {
    notes.push({
      code: 'LARGE_OBJECTS',
      message:
        `the source holds ${largeObjects} large object${largeObjects === 1 ? '' : 's'} ` +
        '(pg_largeobject): they are not migrated, and oid columns that point at them will ' +
        'dangle on the destination',
    })
  }
  const unlogged = context.selection.tables
    .filter((selected) => selected.table.persistence === 'unlogged')
    .map((selected) => selected.sourceName)
  if (unlogged.length > 0) {
    notes.push({
      code: 'UNLOGGED_TABLES',
      message:
        `unlogged tables ${unlogged.join(', ')}: their rows are copied and they stay unlogged, ` +
        'but logical decoding does not see their changes, so incremental migration does not ' +
        'replicate them',
    })
  }
  const materialized = selectedViews(context)
  if (materialized.length > 0) {
    notes.push({
      code: 'MATERIALIZED_VIEWS',
      message:
        `materialized views ${materialized.join(', ')} are created on the destination and ` +
        'refreshed after the copy, not copied: their contents reflect the destination at ' +
        'refresh time',
    })
  }
  notes.push({
    code: 'OWNERS_AND_GRANTS',
    message:
      'owners, grants and default privileges are not migrated: objects on the destination ' +
      'belong to the destination role; grant access there yourself',
  })
  const hasIdentity = context.selection.tables.some((selected) =>
    selected.table.columns.some((column) => column.identity !== null),
  )
  if ((context.selection.sequences.length > 0 || hasIdentity) && isIncremental(context)) {
    notes.push({
      code: 'SEQUENCES_AT_CUTOVER',
      message:
        'sequence values (SERIAL, identity and plain sequences) are set on the destination after ' +
        'the full copy and again at cutover, not kept in step while changes replicate: do not ' +
        'write to the destination before cutover',
    })
  }
  return notes.sort((a, b) => compareText(a.code, b.code))
}

function selectedViews(context: PrecheckContext): string[] {
  const entries = context.spec.objects
  return context.sourceModel.views
    .filter((view) => view.kind === 'materialized')
    .filter((view) => {
      if (entries === null) return true
      return entries.some(
        (entry) =>
          entry.schema === view.schema &&
          entry.tables === null &&
          !entry.exclude.some((glob) => matchGlob(glob, view.name)),
      )
    })
    .map((view) => quoteQualifiedName(view.schema, view.name))
}
