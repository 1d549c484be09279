// characters that are wildcards in other glob dialects: refusing them avoids silent literal matches
const foreignGlobChars = /[[\]{}\\]/u

/** Why a name glob is not valid (only `*` and `?` are wildcards); undefined when it is valid. */
export function checkGlob(glob: string): string | undefined {
  if (glob === '') return 'it is empty'
  const foreign = foreignGlobChars.exec(glob)
  if (foreign !== null) return `only * and ? are wildcards, "${foreign[0]}" is not allowed`
  if (glob.startsWith('!')) return 'only * and ? are wildcards, a leading "!" is not allowed'
  return undefined
}

/** A regular expression matching exactly the names a glob (`*`, `?`) matches. */
export function globToRegExp(glob: string): RegExp {
  const body = Array.from(glob, (char) => {
    if (char === '*') return '.*'
    if (char === '?') return '.'
    return char.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&')
  }).join('')
  return new RegExp(`^${body}$`, 'su')
}

/** Whether an object name matches a name glob (`*` any run of characters, `?` one character). */
export function matchGlob(glob: string, name: string): boolean {
  return globToRegExp(glob).test(name)
}
