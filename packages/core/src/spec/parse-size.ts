/**
 * The size syntax of the spec when written as a string (`512`, `64kB`, `512MB`, `1GiB`): an integer
 * and an optional unit, no space. The JSON Schema carries the same pattern.
 */
export const SIZE_PATTERN = '^[0-9]+(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$'

/** Examples quoted in error messages about sizes. */
export const SIZE_EXAMPLES = ['0', '64kB', '512MB', '1GiB'] as const

const sizeRegExp = new RegExp(SIZE_PATTERN, 'u')

// kB and KB are both accepted for 1000 bytes: PostgreSQL writes kB, most people write KB
const unitBytes: Readonly<Record<string, number>> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
}

/** Bytes in a spec size (an integer, or a string such as `1GiB`); undefined when it is not one. */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined
  }
  const match = sizeRegExp.exec(value)
  if (match === null) return undefined
  const digits = match[0].slice(0, match[0].length - (match[1]?.length ?? 0))
  const bytes = Number(digits) * (unitBytes[match[1] ?? 'B'] ?? 1)
  return Number.isSafeInteger(bytes) ? bytes : undefined
}
