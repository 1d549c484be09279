import type { SourceTableName } from './captured-ddl.js'
import type { DdlScope } from './ddl-scope.js'

/** What the destination must do for one captured statement. */
export type DdlTranslation = DdlApply | DdlIgnore

/** Run these statements, in order, in the destination transaction of the source transaction. */
export interface DdlApply {
  readonly kind: 'apply'
  /**
   * Destination SQL. The first sets search_path (LOCAL) to the source's, mapped, so that
   * unqualified type and function names resolve as they did there: DML run after it in the same
   * transaction must use qualified names.
   */
  readonly statements: readonly string[]
  /** Source tables the statement created, altered or dropped (by their names before it ran). */
  readonly tables: readonly SourceTableName[]
  /** The scope after the statement: tables created, dropped or renamed are in it or out of it. */
  readonly scope: DdlScope
  /** Parts of the statement left out on purpose (an excluded column's index, an owner change...). */
  readonly notes: readonly string[]
}

/** Nothing to do on the destination. */
export interface DdlIgnore {
  readonly kind: 'ignore'
  readonly reason: string
}
