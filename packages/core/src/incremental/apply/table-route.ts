import { quoteIdentifier, quoteQualifiedName } from '@pgshift/schema-diff'
import type { TableToCopy } from '../../copy/index.js'
import type { RowOperation } from '../../spec/index.js'
import type { RelationMessage } from '../pgoutput/index.js'

/** A destination column as the destination's catalog describes it. */
export interface DestinationColumn {
  /** format_type of the column: the cast every text value gets. */
  readonly type: string
  /** Whether `=` exists for the type (json, xml, point... have none: compared as text). */
  readonly comparable: boolean
}

/** What the destination's catalog says about one table. */
export interface DestinationTableFacts {
  readonly columns: ReadonlyMap<string, DestinationColumn>
  /** Column sets of valid, non-partial unique indexes on plain columns (ON CONFLICT arbiters). */
  readonly uniqueKeys: readonly (readonly string[])[]
  /** The primary key's columns, or null. */
  readonly primaryKey: readonly string[] | null
}

/** One column of a relation message and where its values go. */
export interface RouteColumn {
  /** Position in the relation's tuples. */
  readonly index: number
  readonly sourceName: string
  /** Quoted destination column, or null when the spec excludes it. */
  readonly destination: string | null
  readonly destinationName: string | null
  /** The destination type's name, for `$n::type` casts. */
  readonly type: string
  readonly comparable: boolean
  /** Part of the source's replica identity (sent with UPDATE/DELETE). */
  readonly isKey: boolean
}

/**
 * How the changes of one source table land in the destination: the static mapping from the
 * spec joined with the relation's current shape (pgoutput tuples are positional) and the
 * destination's catalog.
 */
export interface TableRoute {
  readonly tableId: string
  readonly relationOid: number
  /** Quoted, qualified destination table. */
  readonly destination: string
  /** Quoted, qualified source table (filter evaluation, TOAST fill-in). */
  readonly source: string
  readonly operations: ReadonlySet<RowOperation>
  readonly whereSql: string | null
  /** Source transactions that committed before this LSN are already in the copied rows. */
  readonly skipBefore: bigint
  readonly columns: readonly RouteColumn[]
  /** Copied columns (not excluded), in relation order. */
  readonly mapped: readonly RouteColumn[]
  /**
   * The columns that identify a row: the replica identity's key columns, or every mapped
   * column when the identity is FULL.
   */
  readonly identity: readonly RouteColumn[]
  readonly identityFull: boolean
  /**
   * Whether INSERT ... ON CONFLICT (identity) can make every change idempotent: the identity
   * is a key and the destination has a unique index on exactly those columns.
   */
  readonly upsert: boolean
}

/** Raised when a table's changes cannot be applied at all; the stream stops loudly. */
export class RouteError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RouteError'
  }
}

/**
 * Joins a selected table with its relation message and destination facts.
 * @throws RouteError when a key column is excluded or missing on the destination, or a copied
 *   column does not exist there (DDL that was not replayed).
 */
export function buildTableRoute(
  table: TableToCopy,
  relation: RelationMessage,
  facts: DestinationTableFacts,
  skipBefore: bigint,
): TableRoute {
  const destination = quoteQualifiedName(table.destination.schema, table.destination.name)
  const mapping = new Map(table.columns.map((column) => [column.source, column.destination]))
  const excluded = new Set(table.excludedColumns)
  const columns = relation.columns.map((column, index): RouteColumn => {
    // a column the selection did not know was added on the source since: it keeps its name, and
    // a destination without it stops the stream below rather than dropping its values
    const destinationName = excluded.has(column.name) ? null : (mapping.get(column.name) ?? column.name)
    const facts_ = destinationName === null ? undefined : facts.columns.get(destinationName)
    if (destinationName !== null && facts_ === undefined) {
      throw new RouteError(
        `column ${quoteIdentifier(column.name)} of ${quoteQualifiedName(table.source.schema, table.source.name)} ` +
          `has no destination column ${quoteIdentifier(destinationName)} in ${destination}: the source's ` +
          'table changed (DDL) and the destination was not changed with it; enable options.ddl or change ' +
          'the destination by hand, then re-run apply',
      )
    }
    return {
      index,
      sourceName: column.name,
      destination: destinationName === null ? null : quoteIdentifier(destinationName),
      destinationName,
      type: facts_?.type ?? 'text',
      comparable: facts_?.comparable ?? true,
      isKey: column.isKey,
    }
  })
  const mapped = columns.filter((column) => column.destination !== null)
  // a FULL identity sends whole old rows: when the destination has a primary key on copied
  // columns, rows are found (and upserted) by it, so an update that enters a row filter can
  // insert the row instead of matching nothing
  const byName = new Map(mapped.map((column) => [column.destinationName, column]))
  const primary = facts.primaryKey?.map((name) => byName.get(name))
  const destinationKey =
    relation.replicaIdentity === 'full' && primary !== undefined && primary.every((column) => column !== undefined)
      ? (primary as RouteColumn[])
      : null
  const identityFull = destinationKey === null && (relation.replicaIdentity === 'full' || !columns.some((column) => column.isKey))
  const keys = destinationKey ?? columns.filter((column) => column.isKey)
  const excludedKey = keys.find((column) => column.destination === null)
  if (!identityFull && excludedKey !== undefined) {
    throw new RouteError(
      `the replica identity column ${quoteIdentifier(excludedKey.sourceName)} of ${destination} is excluded by ` +
        'the spec: changed and deleted rows could not be found on the destination',
    )
  }
  const identity = identityFull ? mapped : keys
  const names = identity.map((column) => column.destinationName ?? '').sort()
  const upsert =
    !identityFull &&
    facts.uniqueKeys.some((key) => key.length === names.length && [...key].sort().every((name, i) => name === names[i]))
  return {
    tableId: table.tableId,
    relationOid: relation.relationOid,
    destination,
    source: quoteQualifiedName(table.source.schema, table.source.name),
    operations: new Set(table.operations),
    whereSql: table.whereSql,
    skipBefore,
    columns,
    mapped,
    identity,
    identityFull,
    upsert,
  }
}
