import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { loadSpecText } from '../spec/index.js'
import type { SpecProblem } from '../spec/index.js'

/** What lint found in one spec file. */
export interface LintedFile {
  readonly file: string
  readonly problems: readonly SpecProblem[]
}

/** The outcome of linting a set of spec files. */
export interface LintResult {
  readonly files: readonly LintedFile[]
  readonly errorCount: number
  readonly warningCount: number
}

/** How lint treats the environment the specs interpolate. */
export interface LintOptions {
  /** Variables for `${VAR}` interpolation; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /**
   * Accept `${VAR}` references to variables that are not set. Pull-request CI usually has no
   * database secrets, and lint must still check everything else offline.
   */
  readonly allowMissingEnv?: boolean
  /** Folder that relative spec paths are read from; they are reported as given. */
  readonly cwd?: string
}

/** Loads and validates every spec file offline and collects all problems, in file order. */
export async function lintSpecFiles(
  files: readonly string[],
  options: LintOptions = {},
): Promise<LintResult> {
  const linted: LintedFile[] = []
  for (const file of files) {
    let text: string
    try {
      text = await readFile(path.resolve(options.cwd ?? process.cwd(), file), 'utf8')
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      linted.push({ file, problems: [unreadable(file, reason)] })
      continue
    }
    const { problems } = await loadSpecText(text, file, {
      env: options.env,
      allowMissingEnv: options.allowMissingEnv,
    })
    linted.push({ file, problems })
  }
  const all = linted.flatMap((entry) => entry.problems)
  return {
    files: linted,
    errorCount: all.filter((problem) => problem.severity === 'error').length,
    warningCount: all.filter((problem) => problem.severity === 'warning').length,
  }
}

function unreadable(file: string, reason: string): SpecProblem {
  return {
    file,
    line: 1,
    column: 1,
    severity: 'error',
    code: 'file-unreadable',
    message: `cannot read the spec file (${reason})`,
  }
}
