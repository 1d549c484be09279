import { introspectSchema } from '@pgshift/schema-diff'
import type { SchemaModel } from '@pgshift/schema-diff'
import type { Database } from '../pg/index.js'
import { scopeSchemaModel } from '../schema/index.js'
import { resolveSelection } from '../selection/index.js'
import { sequencePairs } from '../sequences/index.js'
import type { MigrationSpec } from '../spec/index.js'
import { compareRange } from './compare-range.js'
import type { ComparedRange, RangeTotals, TableComparison } from './compare-range.js'
import { compareSequences } from './compare-sequences.js'
import { drillDown } from './drill-down.js'
import { findChangedColumns } from './find-changed-columns.js'
import { mapLimited } from './map-limited.js'
import { planTableRanges } from './plan-table-ranges.js'
import { prepareValidationTables } from './prepare-validation-tables.js'
import type { RangeConsistency } from './range-consistency.js'
import { chooseRowHash } from './row-hash.js'
import type {
  ComparisonMode,
  RowDifference,
  SequenceValidation,
  TableValidation,
  ValidationReport,
} from './validation-report.js'
import { tableSide } from './validation-table.js'

/** Tuning and hooks of {@link validateMigration}; every field has a default. */
export interface ValidateMigrationOptions {
  /** count: row counts only; checksum: counts and row checksums. Default: the spec's `options.validate` (none counts as checksum: asked explicitly, validation runs). */
  readonly mode?: ComparisonMode
  /** Differing rows listed per table; 10 by default. */
  readonly maxKeys?: number
  /** Ranges compared at once; default the spec's `options.parallel.tables`. Each uses one connection per side. */
  readonly parallel?: number
  /** Rows per key range a large table is cut into; 100,000 by default. */
  readonly rowsPerRange?: number
  /** A differing range of at most this many rows is compared row by row; 1,000 by default. */
  readonly leafRows?: number
  /** Compare the migrated sequences; true by default (before cutover they are expected behind). */
  readonly sequences?: boolean
  /** Set while incremental replication runs: see {@link RangeConsistency}. */
  readonly consistency?: RangeConsistency
  /** An introspection of the whole source database, when the caller has one. */
  readonly sourceModel?: SchemaModel
}

/** Inputs of {@link validateMigration}. */
export interface ValidateMigrationInput {
  /** Pools should allow `parallel` connections (plus one) on each side. */
  readonly source: Database
  readonly destination: Database
  readonly spec: MigrationSpec
  readonly options?: ValidateMigrationOptions
}

const DEFAULTS = { maxKeys: 10, rowsPerRange: 100_000, leafRows: 1_000, fanout: 16, maxRanges: 4_096 }

/**
 * Proves the destination holds the source's data, as the spec maps it: per selected table
 * (partitions stand for their parent), row counts and order-independent checksums (sums of
 * row hashes, see row-hash.ts), both computed in SQL on each side — the source's
 * filter applied, excluded and generated columns left out, renamed columns matched, values
 * cast as the copy casts them.
 * Large tables are compared in key ranges, `parallel` at a time; a table whose totals differ
 * has its differing ranges narrowed down to the rows, and the first `maxKeys` are named
 * (missing, extra, or changed with the differing columns). Tables without a usable key are
 * compared whole and their differences cannot be named. Migrated sequences are compared too:
 * the destination must be at or past the source.
 *
 * Reads only; never changes either side.
 *
 * @example
 * const report = await validateMigration({ source, destination, spec })
 * if (report.status !== 'equal') process.exitCode = 1
 */
export async function validateMigration(input: ValidateMigrationInput): Promise<ValidationReport> {
  const started = performance.now()
  const { source, destination, spec } = input
  const options = input.options ?? {}
  const mode = options.mode ?? (spec.options.validate === 'count' ? 'count' : 'checksum')
  const workers = Math.max(1, options.parallel ?? spec.options.parallel.tables)
  const sizing = { rowsPerRange: options.rowsPerRange ?? DEFAULTS.rowsPerRange, maxRanges: DEFAULTS.maxRanges }
  const limits = {
    maxKeys: options.maxKeys ?? DEFAULTS.maxKeys,
    leafRows: options.leafRows ?? DEFAULTS.leafRows,
    fanout: DEFAULTS.fanout,
    parallel: workers,
  }
  const model = options.sourceModel ?? (await introspectSchema(source.kysely))
  const [prepared, hash] = await Promise.all([
    prepareValidationTables(source, destination, spec, model),
    chooseRowHash(source, destination, mode),
  ])
  const ready = prepared.flatMap((entry) => (entry.ready ? [entry.table] : []))
  const ranges = await mapLimited(ready, workers, (table) =>
    planTableRanges(source, table, tableSide(table, 'source'), sizing),
  )
  const comparisons = ready.map(
    (table, index): TableComparison => ({
      databases: { source, destination },
      table,
      sides: { source: tableSide(table, 'source'), destination: tableSide(table, 'destination') },
      hash,
      consistency: options.consistency,
      serial: (ranges[index]?.length ?? 1) > 1,
    }),
  )
  // every range of every table in one queue, so a large table does not hold the others up
  const tasks = comparisons.flatMap((comparison, index) =>
    (ranges[index] ?? []).map((range) => ({ table: index, comparison, range })),
  )
  const compared = await mapLimited(tasks, workers, (task) => compareRange(task.comparison, task.range))
  const byTable = comparisons.map((): ComparedRange[] => [])
  for (const [index, task] of tasks.entries()) {
    const result = compared[index]
    if (result !== undefined) byTable[task.table]?.push(result)
  }
  const validated = await mapLimited(comparisons, workers, (comparison, index) =>
    concludeTable(comparison, byTable[index] ?? [], mode, limits),
  )
  const unusable = prepared.flatMap((entry): TableValidation[] =>
    entry.ready
      ? []
      : [
          {
            ...entry.table,
            sourceRows: null,
            destinationRows: null,
            checksum: 'not-compared',
            key: [],
            ranges: 0,
            differingRanges: 0,
            differences: [],
            moreDifferences: false,
          },
        ],
  )
  const tables = [...validated, ...unusable].sort((a, b) => (a.tableId < b.tableId ? -1 : a.tableId > b.tableId ? 1 : 0))
  const sequences = options.sequences === false ? null : await compareMigratedSequences(source, destination, spec, model)
  const different =
    tables.some((table) => table.status !== 'equal') ||
    (sequences ?? []).some((sequence) => sequence.status === 'behind' || sequence.status === 'missing')
  return {
    migration: spec.metadata.name,
    mode,
    rowHash: hash,
    status: different ? 'different' : 'equal',
    tables,
    sequences,
    durationMs: Math.round(performance.now() - started),
  }
}

async function concludeTable(
  comparison: TableComparison,
  compared: readonly ComparedRange[],
  mode: ComparisonMode,
  limits: Parameters<typeof drillDown>[2],
): Promise<TableValidation> {
  const { table } = comparison
  const total = (side: 'source' | 'destination') =>
    compared.reduce<RangeTotals>(
      (sum, range) => ({ rows: sum.rows + range[side].rows, sum: sum.sum + range[side].sum }),
      { rows: 0n, sum: 0n },
    )
  const source = total('source')
  const destination = total('destination')
  // checksums are sums, so the table's are the sums of its ranges', whatever the ranges: when
  // the two clusters order text keys differently, ranges may differ while the tables do not
  const equal = source.rows === destination.rows && source.sum === destination.sum
  let differences: RowDifference[] = []
  let more = false
  let note: string | null = null
  if (!equal && table.key === null) {
    note = `the differing rows cannot be named: ${table.keylessReason ?? 'it has no usable key'}`
  } else if (!equal && table.key !== null) {
    const drilled = await drillDown(comparison, compared.filter((range) => !range.equal), limits)
    const changed = await findChangedColumns(
      comparison,
      drilled.rows.filter((row) => row.kind === 'changed').map((row) => row.key),
    )
    const keyColumns = table.key.columns
    differences = drilled.rows.map((row) => ({
      kind: row.kind,
      key: Object.fromEntries(keyColumns.map((column, index) => [column.source, row.key[index] ?? ''])),
      columns: changed.get(JSON.stringify(row.key)) ?? [],
    }))
    more = drilled.more
    if (differences.length === 0) {
      note = 'the totals differ but no differing row was found when narrowing down: did rows change while validating?'
    }
  }
  return {
    tableId: table.tableId,
    source: table.source,
    destination: table.destination,
    status: equal ? 'equal' : 'different',
    sourceRows: Number(source.rows),
    destinationRows: Number(destination.rows),
    checksum: mode === 'count' ? 'not-compared' : source.sum === destination.sum ? 'equal' : 'different',
    key: table.key?.columns.map((column) => column.source) ?? [],
    ranges: compared.length,
    differingRanges: compared.filter((range) => !range.equal).length,
    differences,
    moreDifferences: more,
    note,
  }
}

async function compareMigratedSequences(
  source: Database,
  destination: Database,
  spec: MigrationSpec,
  model: SchemaModel,
): Promise<SequenceValidation[]> {
  const scoped = scopeSchemaModel(spec, model, resolveSelection(spec, model)).model
  return compareSequences(source, destination, sequencePairs(spec, scoped))
}
