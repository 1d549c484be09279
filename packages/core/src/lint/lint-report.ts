import { formatProblem } from '../spec/index.js'
import type { SpecProblem } from '../spec/index.js'
import type { LintResult } from './lint-specs.js'

/** One `file:line:col: message` line per problem, then a one-line summary. */
export function renderLintText(result: LintResult): string {
  const lines = result.files.flatMap((entry) => entry.problems.map(formatProblem))
  lines.push(summarize(result))
  return `${lines.join('\n')}\n`
}

/** The whole result as JSON, for tools. */
export function renderLintJson(result: LintResult): string {
  return `${JSON.stringify(result, null, 2)}\n`
}

/**
 * GitHub Actions workflow commands, so problems show up as annotations on the pull request's
 * changed lines.
 */
export function renderGithubAnnotations(result: LintResult): string {
  const lines = result.files.flatMap((entry) =>
    entry.problems.map((problem) => githubAnnotation(problem)),
  )
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}

function githubAnnotation(problem: SpecProblem): string {
  const level = problem.severity === 'error' ? 'error' : 'warning'
  const properties = [
    `file=${escapeProperty(problem.file)}`,
    `line=${problem.line}`,
    `col=${problem.column}`,
    `title=${escapeProperty(`pgshift lint (${problem.code})`)}`,
  ].join(',')
  return `::${level} ${properties}::${escapeData(problem.message)}`
}

// Escaping rules of GitHub's workflow commands: data escapes %, CR and LF; properties also
// escape the separators ':' and ','.
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

function summarize(result: LintResult): string {
  const checked = `${result.files.length} spec file${result.files.length === 1 ? '' : 's'} checked`
  if (result.errorCount === 0 && result.warningCount === 0) return `${checked}: no problems`
  const parts = [plural(result.errorCount, 'error'), plural(result.warningCount, 'warning')]
  return `${checked}: ${parts.join(', ')}`
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
