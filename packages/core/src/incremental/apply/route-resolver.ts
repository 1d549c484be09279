import type pg from 'pg'
import { quoteQualifiedName } from '@pgshift/schema-diff'
import type { TableToCopy } from '../../copy/index.js'
import { isDdlLogTable } from '../ddl/index.js'
import type { DdlScope } from '../ddl/index.js'
import type { RelationMessage } from '../pgoutput/index.js'
import { HEARTBEAT_TABLE } from '../source-objects.js'
import { readDestinationFacts } from './read-destination-facts.js'
import { buildTableRoute, RouteError } from './table-route.js'
import type { TableRoute } from './table-route.js'

/** What a relation's changes are: a migrated table's, or one of pgshift's own source tables. */
export type ResolvedRelation =
  | { readonly kind: 'table'; readonly route: TableRoute }
  | { readonly kind: 'heartbeat'; readonly relation: RelationMessage }
  | { readonly kind: 'ddl'; readonly relation: RelationMessage }

/**
 * Keeps the stream's relation messages and turns them into routes on first use. A new relation
 * message for a table (its shape changed) drops its route, so the next change is routed against
 * the destination as it is then.
 */
export class RouteResolver {
  readonly #tables: ReadonlyMap<string, TableToCopy>
  readonly #skipBefore: ReadonlyMap<string, bigint>
  #scope: DdlScope | null
  readonly #relations = new Map<number, RelationMessage>()
  readonly #routes = new Map<number, TableRoute>()
  readonly #sourceTypes = new Map<number, readonly string[]>()

  /**
   * @param tables the selected leaf tables
   * @param skipBefore per source table id, the oldest snapshot LSN its copied rows hold
   * @param scope with DDL capture: the selection as replayed DDL left it, for tables created or
   *   renamed on the source since the selection was resolved
   */
  constructor(tables: readonly TableToCopy[], skipBefore: ReadonlyMap<string, bigint>, scope: DdlScope | null) {
    this.#tables = new Map(tables.map((table) => [quoteQualifiedName(table.source.schema, table.source.name), table]))
    this.#skipBefore = skipBefore
    this.#scope = scope
  }

  get scope(): DdlScope | null {
    return this.#scope
  }

  /** Takes the scope replayed DDL left, and forgets every route (tables changed). */
  setScope(scope: DdlScope): void {
    this.#scope = scope
    this.#routes.clear()
  }

  /** Records a relation message (before any change of that relation in the stream). */
  relation(message: RelationMessage): void {
    this.#relations.set(message.relationOid, message)
    this.#routes.delete(message.relationOid)
    this.#sourceTypes.delete(message.relationOid)
  }

  /** Forgets every route (after DDL on the destination). */
  invalidate(): void {
    this.#routes.clear()
  }

  /** The relation message for an oid. @throws RouteError when the stream never sent it */
  relationOf(oid: number): RelationMessage {
    const relation = this.#relations.get(oid)
    if (relation === undefined) throw new RouteError(`a change of relation ${oid} arrived before its relation message`)
    return relation
  }

  /**
   * Routes a relation's changes. @throws RouteError for a published table the migration does
   * not select or one missing on the destination
   */
  async resolve(oid: number, destination: pg.ClientBase): Promise<ResolvedRelation> {
    // every change of a routed table comes through here: the cache is looked at first
    const cached = this.#routes.get(oid)
    if (cached !== undefined) return { kind: 'table', route: cached }
    const relation = this.relationOf(oid)
    if (relation.schema === HEARTBEAT_TABLE.schema && relation.name === HEARTBEAT_TABLE.name) {
      return { kind: 'heartbeat', relation }
    }
    if (isDdlLogTable(relation.schema, relation.name)) return { kind: 'ddl', relation }
    const name = quoteQualifiedName(relation.schema, relation.name)
    const table = this.#tables.get(name) ?? this.#scoped(relation)
    if (table === undefined) {
      throw new RouteError(`the stream carries changes of ${name}, which the migration does not select`)
    }
    const facts = await readDestinationFacts(destination, table.destination)
    if (facts === null) {
      throw new RouteError(
        `the destination table ${quoteQualifiedName(table.destination.schema, table.destination.name)} of ${name} does not exist`,
      )
    }
    const route = buildTableRoute(table, relation, facts, this.#skipBefore.get(table.tableId) ?? 0n)
    this.#routes.set(oid, route)
    return { kind: 'table', route }
  }

  /** A table the selection did not hold when apply started: created or renamed by replayed DDL. */
  #scoped(relation: RelationMessage): TableToCopy | undefined {
    const scoped = this.#scope?.table(relation.schema, relation.name)
    if (scoped === undefined) return undefined
    return {
      tableId: `table:${relation.schema}.${relation.name}`,
      source: { schema: relation.schema, name: relation.name },
      destination: { schema: scoped.destinationSchema, name: scoped.destinationName },
      columns: Object.entries(scoped.columns.rename).map(([source, destination]) => ({ source, destination })),
      excludedColumns: scoped.columns.exclude,
      whereSql: null,
      keyColumn: null,
      operations: ['insert', 'update', 'delete', 'truncate'],
    }
  }

  /** The source's type names of a relation's columns (format_type), for evaluating filters there. */
  async sourceTypes(oid: number, source: pg.Pool): Promise<readonly string[]> {
    const cached = this.#sourceTypes.get(oid)
    if (cached !== undefined) return cached
    const relation = this.relationOf(oid)
    const { rows } = await source.query<{ type: string }>(
      `SELECT format_type(t.oid, t.mod) AS type
         FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS t(oid, mod, n) ORDER BY t.n`,
      [relation.columns.map((column) => column.typeOid), relation.columns.map((column) => column.typeMod)],
    )
    const types = rows.map((row) => row.type)
    this.#sourceTypes.set(oid, types)
    return types
  }
}
