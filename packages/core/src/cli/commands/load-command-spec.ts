import path from 'node:path'
import { formatProblem, loadSpecFile } from '../../spec/index.js'
import type { MigrationSpec } from '../../spec/index.js'
import type { CliIo } from '../cli-io.js'

/**
 * Loads the spec a command runs, printing its problems as `file:line:col: message` on
 * stderr. Resolves to undefined when the spec has errors (the command then exits 2).
 */
export async function loadCommandSpec(
  command: string,
  file: string,
  io: CliIo,
): Promise<MigrationSpec | undefined> {
  const absolute = path.resolve(io.cwd, file)
  const { spec, problems } = await loadSpecFile(absolute, { env: io.env })
  // positions are shown the way the user named the file
  for (const problem of problems) io.stderr.write(`${formatProblem({ ...problem, file })}\n`)
  if (spec === undefined) {
    io.stderr.write(`pgshift ${command}: the spec has errors; nothing was done\n`)
  }
  return spec
}
