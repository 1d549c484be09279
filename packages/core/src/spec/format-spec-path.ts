/** A location inside the spec document: mapping keys and sequence indexes from the root. */
export type SpecPath = readonly (string | number)[]

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/

/**
 * The path as users read it in messages: `options.parallel.tables`, `types[1]`,
 * `objects[0].tables[2].columns.rename["my col"]`; the root is `the top level`.
 */
export function formatSpecPath(path: SpecPath): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (plainKey.test(segment)) text += text === '' ? segment : `.${segment}`
    else text += `[${JSON.stringify(segment)}]`
  }
  return text === '' ? 'the top level' : text
}
