/**
 * Process exit codes of the `pgshift` CLI. Nx collapses every failure to 1, so scripts that
 * need to branch on the reason call the CLI directly.
 */
export const ExitCode = {
  /** Everything asked for was done; lint found no errors; validate found equal data. */
  ok: 0,
  /** The command ran and found problems: lint errors, validation differences. */
  problems: 1,
  /** The command line was wrong, or the command is not available in this version. */
  usage: 2,
  /** The command could not do its work: a database unreachable, a statement failed. */
  failed: 3,
} as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]
