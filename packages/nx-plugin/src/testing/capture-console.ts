/** What an executor printed: console.log lines and console.error lines. */
export interface Printed<T> {
  readonly value: T
  readonly stdout: string
  readonly stderr: string
}

/**
 * Captures console output of `fn`. Executors print through console; process.stdout itself
 * carries node:test's own report and must not be intercepted.
 */
export async function captureConsole<T>(fn: () => Promise<T>): Promise<Printed<T>> {
  const { log, error } = console
  const out: string[] = []
  const err: string[] = []
  console.log = (...parts: unknown[]) => void out.push(parts.map(String).join(' '))
  console.error = (...parts: unknown[]) => void err.push(parts.map(String).join(' '))
  try {
    const value = await fn()
    return { value, stdout: joinLines(out), stderr: joinLines(err) }
  } finally {
    console.log = log
    console.error = error
  }
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}
