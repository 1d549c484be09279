import type { PgshiftCli } from '../cli/pgshift-cli.js'

/** A stand-in for the pgshift CLI that records each argv and answers with fixed exit codes. */
export interface RecordingCli {
  readonly cli: PgshiftCli
  readonly calls: string[][]
}

export function recordingCli(exitCodes: readonly number[] = [0]): RecordingCli {
  const calls: string[][] = []
  const cli: PgshiftCli = async (argv, io) => {
    calls.push([...argv])
    io.stdout.write(`ran ${argv.slice(2, 4).join(' ')}\n`)
    return exitCodes[calls.length - 1] ?? exitCodes.at(-1) ?? 0
  }
  return { cli, calls }
}
