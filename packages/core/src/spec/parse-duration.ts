/**
 * The duration syntax of the spec (`500ms`, `30s`, `10m`, `12h`, `2d`, `1h30m`): units d, h, m,
 * s, ms, each at most once, largest first. The JSON Schema carries the same pattern.
 */
export const DURATION_PATTERN = '^(?=[0-9])([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$'

/** Examples quoted in error messages about durations. */
export const DURATION_EXAMPLES = ['30s', '10m', '12h', '1h30m'] as const

const durationRegExp = new RegExp(DURATION_PATTERN, 'u')

const unitMs = [86_400_000, 3_600_000, 60_000, 1_000, 1] as const

/** Milliseconds in a spec duration such as `1h30m`; undefined when it is not one or too large. */
export function parseDuration(text: string): number | undefined {
  const match = durationRegExp.exec(text)
  if (match === null) return undefined
  let total = 0
  unitMs.forEach((ms, index) => {
    const part = match[index + 1]
    // parseInt stops at the unit letter
    if (part !== undefined) total += Number.parseInt(part, 10) * ms
  })
  return Number.isSafeInteger(total) ? total : undefined
}
