import type { ExitCode } from '../exit-codes.js'

/** Filled in by a command's action: commander itself has no notion of a result. */
export interface CommandOutcome {
  exitCode: ExitCode
}
