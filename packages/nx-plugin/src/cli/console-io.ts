import { Writable } from 'node:stream'
import type { main } from '@pgshift/core'

/** The terminal the pgshift CLI writes to (core's `CliIo`, taken from `main`'s signature). */
export type CliIo = NonNullable<Parameters<typeof main>[1]>

/** A {@link CliIo} whose output goes through console, plus the flush for its last line. */
export interface ConsoleIo {
  readonly io: CliIo
  /** Prints a last line that had no newline yet. */
  flush(): void
}

/**
 * Runs the CLI with console as its terminal: Nx captures and replays console output per task,
 * and under node:test process.stdout carries the runner's own protocol. The CLI writes text
 * chunks, console prints whole lines, so text is held back until its newline arrives.
 */
export function consoleIo(cwd: string, env: CliIo['env'] = process.env): ConsoleIo {
  const stdout = lineWriter((line) => console.log(line))
  const stderr = lineWriter((line) => console.error(line))
  return {
    io: { stdout: stdout.stream, stderr: stderr.stream, env, cwd },
    flush: () => {
      stdout.flush()
      stderr.flush()
    },
  }
}

function lineWriter(print: (line: string) => void): { stream: Writable; flush(): void } {
  let pending = ''
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      const lines = (pending + chunk.toString()).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) print(line)
      done()
    },
  })
  return {
    stream,
    flush: () => {
      if (pending !== '') print(pending)
      pending = ''
    },
  }
}
