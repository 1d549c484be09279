/**
 * A column value as pgoutput delivered it: the server's text, null for SQL NULL, undefined
 * for an unchanged TOASTed value the server did not send (the destination keeps its own).
 */
export type Cell = string | null | undefined

/** One row change, values in the relation's column order. */
export type RowChange =
  | { readonly kind: 'insert'; readonly row: readonly Cell[] }
  /** `old`: the old key (identity columns set, others null) or whole old row; null when the key did not change. */
  | { readonly kind: 'update'; readonly row: readonly Cell[]; readonly old: readonly Cell[] | null }
  | { readonly kind: 'delete'; readonly old: readonly Cell[] }

/** A parameterised statement. */
export interface Statement {
  readonly text: string
  readonly values: readonly (string | null)[]
}
