/**
 * Stable identifiers of spec problems. Scripts and tests branch on these; add, never rename.
 */
export type SpecProblemCode =
  | 'file-unreadable'
  | 'yaml-syntax'
  | 'duplicate-key'
  | 'empty-spec'
  | 'not-a-mapping'
  | 'multiple-documents'
  | 'env-missing'
  | 'env-syntax'
  | 'unknown-key'
  | 'missing-key'
  | 'wrong-type'
  | 'bad-value'
  | 'empty-list'
  | 'duplicate-item'
  | 'bad-identifier'
  | 'bad-url'
  | 'bad-glob'
  | 'duplicate-schema'
  | 'duplicate-table'
  | 'rename-collision'
  | 'column-conflict'
  | 'where-invalid'
  | 'where-not-immutable'
  | 'password-in-spec'

/** One thing wrong (or worth a warning) in a spec file, located at a 1-based line and column. */
export interface SpecProblem {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly severity: 'error' | 'warning'
  readonly code: SpecProblemCode
  readonly message: string
  /** Where in the spec, such as `options.parallel.tables`; absent for file-level problems. */
  readonly path?: string
}

/** The `file:line:col: message` line that `pgshift lint` prints for a problem. */
export function formatProblem(problem: SpecProblem): string {
  const prefix = problem.severity === 'warning' ? 'warning: ' : ''
  return `${problem.file}:${problem.line}:${problem.column}: ${prefix}${problem.message}`
}
