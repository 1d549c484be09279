import { validateWhereFilter } from '../spec/index.js'

/**
 * The bare column names a spec's row filter reads. The spec was validated when loaded, which
 * loaded the SQL parser; an invalid filter reads nothing here.
 */
export function whereFilterColumns(filter: string): readonly string[] {
  return [...new Set(validateWhereFilter(filter).columns)].sort()
}
