import { ExitCode } from '@pgshift/core'

// Nx turns every failure into exit code 1, so the reason the CLI gave has to be spelled out.
const MEANINGS: Record<number, string> = {
  [ExitCode.ok]: 'ok',
  [ExitCode.problems]: 'problems or differences found',
  [ExitCode.usage]: 'usage error, or the command is not available in this version',
  [ExitCode.failed]: 'failed: a database unreachable or a statement failed',
}

/** `2 (usage error, or the command is not available in this version)`. */
export function describeExitCode(code: number): string {
  return `${code} (${MEANINGS[code] ?? 'unexpected exit code'})`
}
