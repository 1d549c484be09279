import { quoteIdentifier } from '@pgshift/schema-diff'
import type { CopyColumn, CopyFormat, CopyPlan, CopyTable, CopyUnit } from './copy-plan.js'
import type { ColumnFacts, CopyFacts, SourceTableFacts } from './read-copy-facts.js'
import type { TableToCopy } from './select-copy-tables.js'

/** Options of {@link planCopyUnits}. */
export interface PlanCopyOptions {
  /** Tables larger than this many bytes are split into ranges (spec: splitLargerThan). */
  readonly splitLargerThanBytes: number
  /** The most ranges one table is split into. */
  readonly maxRangesPerTable?: number
}

// types whose binary form does not depend on a length typmod: a cast to them keeps the value
// whole and leaves the length check to the destination's receive function, where an explicit
// cast to varchar(3) or bit(3) would silently truncate
const LENGTH_FREE_CASTS: ReadonlyMap<number, string> = new Map([
  [1043, 'character varying'],
  [1042, 'bpchar'],
  [1560, 'bit varying'],
  [1562, 'bit varying'],
  [1015, 'character varying[]'],
  [1014, 'bpchar[]'],
  [1561, 'bit varying[]'],
  [1563, 'bit varying[]'],
])

/**
 * Computes the copy units from the selected tables and the catalog facts of both sides. Pure:
 * the same inputs give the same plan. Each table gets a format (binary unless a column needs
 * text) and a SELECT list cast to the destination's types; tables larger than the split
 * threshold become ranges — of a single-column integer primary key when there is one, else of
 * heap pages (ctid) — whose first and last ranges are open-ended, so rows outside the
 * planning-time bounds are still copied. The queue is ordered largest first.
 */
export function planCopyUnits(
  tables: readonly TableToCopy[],
  facts: CopyFacts,
  options: PlanCopyOptions,
): CopyPlan {
  const planned = tables.map((table) => planTable(table, facts, options))
  const units = planned
    .flatMap((entry) => entry.units)
    .sort((a, b) => b.estimatedBytes - a.estimatedBytes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { tables: planned.map((entry) => entry.table), units }
}

function planTable(
  selected: TableToCopy,
  facts: CopyFacts,
  options: PlanCopyOptions,
): { table: CopyTable; units: CopyUnit[] } {
  const sourceFacts = facts.source.get(selected.tableId)
  const destinationColumns = facts.destination.get(selected.tableId)
  const destinationName = `${selected.destination.schema}.${selected.destination.name}`
  if (sourceFacts === undefined || destinationColumns === undefined || destinationColumns.length === 0) {
    throw new Error(`no catalog facts for ${selected.tableId} or its destination ${destinationName}`)
  }
  const columns: CopyColumn[] = []
  const textReasons: string[] = []
  for (const column of selected.columns) {
    const from = sourceFacts.columns.find((candidate) => candidate.name === column.source)
    const to = destinationColumns.find((candidate) => candidate.name === column.destination)
    if (from === undefined) throw new Error(`source table ${selected.tableId} has no column ${column.source}`)
    if (to === undefined) throw new Error(`destination table ${destinationName} has no column ${column.destination}`)
    // the destination computes its generated columns itself; COPY refuses values for them
    if (to.generated) continue
    const reason = textReason(from, to)
    if (reason !== null) textReasons.push(`${column.source}: ${reason}`)
    columns.push({
      sourceName: column.source,
      destinationName: column.destination,
      expression: selectExpression(column.source, from, to),
      destinationType: to.type,
    })
  }
  const format: CopyFormat = textReasons.length === 0 ? 'binary' : 'text'
  const ranges = splitRanges(selected, sourceFacts, options)
  const table: CopyTable = {
    tableId: selected.tableId,
    source: selected.source,
    destination: selected.destination,
    columns,
    whereSql: selected.whereSql,
    format,
    textReason: textReasons.length === 0 ? null : textReasons.join('; '),
    estimatedBytes: sourceFacts.bytes,
    estimatedRows: sourceFacts.rows,
    split: ranges.kind,
  }
  const count = ranges.predicates.length
  const units = ranges.predicates.map(
    (predicate, index): CopyUnit => ({
      id: count === 1 ? selected.tableId : `${selected.tableId}#${index + 1}/${count}`,
      tableId: selected.tableId,
      sourcePredicate: predicate.source,
      destinationPredicate: predicate.destination,
      estimatedBytes: Math.round(sourceFacts.bytes / count),
      estimatedRows: sourceFacts.rows === null ? null : Math.round(sourceFacts.rows / count),
    }),
  )
  return { table, units }
}

function textReason(from: ColumnFacts, to: ColumnFacts): string | null {
  if (!from.binary) return `type ${from.type} has no portable binary form on the source`
  if (!to.binary) return `type ${to.type} has no portable binary form on the destination`
  // a user-defined type is named differently on each side (schema renames); no cast can name
  // the destination's type on the source, so a mismatch travels as text and is converted there
  if (!to.builtin && (from.builtin || from.typeName !== to.typeName)) {
    return `source type ${from.type} differs from destination type ${to.type}`
  }
  return null
}

function selectExpression(name: string, from: ColumnFacts, to: ColumnFacts): string {
  const column = quoteIdentifier(name)
  if (!to.builtin || from.type === to.type) return column
  return `${column}::${LENGTH_FREE_CASTS.get(to.typeOid) ?? to.type}`
}

interface Ranges {
  readonly kind: CopyTable['split']
  readonly predicates: readonly { readonly source: string | null; readonly destination: string | null }[]
}

function splitRanges(
  table: TableToCopy,
  facts: SourceTableFacts,
  options: PlanCopyOptions,
): Ranges {
  const whole: Ranges = { kind: 'none', predicates: [{ source: null, destination: null }] }
  if (facts.bytes <= options.splitLargerThanBytes || options.splitLargerThanBytes <= 0) return whole
  const wanted = Math.min(
    Math.ceil(facts.bytes / options.splitLargerThanBytes),
    options.maxRangesPerTable ?? 256,
  )
  if (table.keyColumn !== null) {
    if (facts.keyRange === null) return whole
    const min = BigInt(facts.keyRange.min)
    const span = BigInt(facts.keyRange.max) - min + 1n
    const count = span < BigInt(wanted) ? Number(span) : wanted
    if (count < 2) return whole
    const bounds = Array.from({ length: count - 1 }, (_, i) =>
      (min + (span * BigInt(i + 1)) / BigInt(count)).toString(),
    )
    const sourceKey = quoteIdentifier(table.keyColumn)
    const destinationKey = quoteIdentifier(
      table.columns.find((column) => column.source === table.keyColumn)?.destination ?? table.keyColumn,
    )
    return {
      kind: 'key',
      predicates: openRanges(bounds).map(([low, high]) => ({
        source: rangePredicate(sourceKey, low, high),
        destination: rangePredicate(destinationKey, low, high),
      })),
    }
  }
  const count = Math.min(wanted, facts.pages)
  if (count < 2) return whole
  const bounds = Array.from({ length: count - 1 }, (_, i) => `'(${Math.floor((facts.pages * (i + 1)) / count)},0)'`)
  return {
    kind: 'pages',
    // heap positions mean nothing on the destination: a page range has no destination predicate
    predicates: openRanges(bounds).map(([low, high]) => ({
      source: rangePredicate('ctid', low, high),
      destination: null,
    })),
  }
}

// n-1 bounds → n ranges, the first without a lower and the last without an upper bound
function openRanges(bounds: readonly string[]): [string | null, string | null][] {
  return [null, ...bounds].map((low, index) => [low, bounds[index] ?? null])
}

function rangePredicate(column: string, low: string | null, high: string | null): string {
  const parts = [low === null ? null : `${column} >= ${low}`, high === null ? null : `${column} < ${high}`]
  return parts.filter((part) => part !== null).join(' AND ')
}
