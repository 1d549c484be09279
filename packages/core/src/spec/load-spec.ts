import { readFile } from 'node:fs/promises'
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml'
import type { Scalar } from 'yaml'
import { asRecord } from './as-record.js'
import { checkConnectionUrls } from './check-connection-urls.js'
import { checkSpecSemantics } from './check-spec-semantics.js'
import { describeSchemaError } from './describe-schema-error.js'
import { describeYamlErrors } from './describe-yaml-errors.js'
import type { SpecPath } from './format-spec-path.js'
import { interpolateDocument } from './interpolate-env.js'
import type { EnvScalar, SpecEnv } from './interpolate-env.js'
import type { MigrationSpec } from './migration-spec.js'
import { normalizeSpec } from './normalize-spec.js'
import { SpecLocator } from './spec-locator.js'
import type { SpecIssue } from './spec-locator.js'
import type { SpecProblem } from './spec-problem.js'
import { validateSpecSchema } from './validate-spec-schema.js'
import { loadSqlParser } from './validate-where-filter.js'

/** Options of {@link loadSpecFile} and {@link loadSpecText}. */
export interface LoadSpecOptions {
  /** Where `${VAR}` references are read from; defaults to `process.env`. */
  readonly env?: SpecEnv
  /**
   * Accept unset variables silently, checking the rest of the spec around placeholders (offline
   * lint in CI without secrets). `spec` is then left out if a value could not be checked.
   */
  readonly allowMissingEnv?: boolean
}

/** The outcome of loading one spec. */
export interface LoadSpecResult {
  /** The normalised spec; present only when no problem is an error. */
  readonly spec?: MigrationSpec
  /** Every error and warning, sorted by position. */
  readonly problems: readonly SpecProblem[]
}

/**
 * Loads, checks and normalises a spec file. Never throws for a bad spec: every problem found
 * is returned, each at its line and column.
 *
 * @example
 * const { spec, problems } = await loadSpecFile('migrations/0002-sales-to-eu.yaml')
 * for (const problem of problems) console.error(formatProblem(problem))
 */
export async function loadSpecFile(
  path: string,
  options: LoadSpecOptions = {},
): Promise<LoadSpecResult> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    const problem: SpecProblem = {
      file: path,
      line: 1,
      column: 1,
      severity: 'error',
      code: 'file-unreadable',
      message: `cannot read the spec: ${code === 'ENOENT' ? 'no such file' : message}`,
    }
    return { problems: [problem] }
  }
  return loadSpecText(text, path, options)
}

/** Loads, checks and normalises spec text; `fileName` names it in problems and `sourceFile`. */
export async function loadSpecText(
  text: string,
  fileName: string,
  options: LoadSpecOptions = {},
): Promise<LoadSpecResult> {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {
    lineCounter,
    keepSourceTokens: true,
    prettyErrors: true,
    uniqueKeys: true,
  })
  const yamlProblems = describeYamlErrors(doc, lineCounter, text, fileName)
  if (yamlProblems.some((problem) => problem.severity === 'error')) {
    return { problems: sortProblems(yamlProblems) }
  }
  const locator = new SpecLocator(doc, lineCounter, text, fileName)
  const shapeProblem = checkDocumentShape(doc.contents, locator)
  if (shapeProblem !== undefined) return { problems: [shapeProblem] }

  const interpolation = interpolateDocument(doc, {
    env: options.env ?? process.env,
    allowMissingEnv: options.allowMissingEnv ?? false,
  })
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: 100 })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    const message = `invalid YAML: ${reason}`
    return { problems: [locator.problem({ path: [], code: 'yaml-syntax', message })] }
  }
  const envScalarAt = (path: SpecPath): EnvScalar | undefined => {
    const node = locator.nodeAt(path)
    return isScalar(node) ? interpolation.scalars.get(node as Scalar) : undefined
  }

  const issues: SpecIssue[] = [...interpolation.issues]
  for (const error of validateSpecSchema(data)) {
    const issue = describeSchemaError(error, data)
    if (issue !== undefined) issues.push(issue)
  }
  const urls = checkConnectionUrls(data, envScalarAt)
  issues.push(...urls.issues)
  if (hasWhereFilter(data)) await loadSqlParser()
  const semantics = checkSpecSemantics(data)
  issues.push(...semantics.issues)

  // a value built around an unset variable was never really checked: say nothing about it
  let isIncomplete = false
  const problems: SpecProblem[] = [...yamlProblems]
  for (const issue of issues) {
    const isEnvIssue = issue.code === 'env-missing' || issue.code === 'env-syntax'
    const isAtValue = issue.target !== 'key'
    if (!isEnvIssue && isAtValue && (envScalarAt(issue.path)?.missing.length ?? 0) > 0) {
      isIncomplete = true
      continue
    }
    problems.push(locator.problem(issue))
  }

  const sorted = sortProblems(problems)
  const isValid = !sorted.some((problem) => problem.severity === 'error')
  if (!isValid || isIncomplete) return { problems: sorted }
  if (urls.source === undefined || urls.destination === undefined || urls.webhook === undefined) {
    throw new Error('spec passed validation without parsed URLs')
  }
  const spec = normalizeSpec(data, {
    sourceFile: fileName,
    source: urls.source,
    destination: urls.destination,
    webhook: urls.webhook,
    whereFilters: semantics.whereFilters,
  })
  return { spec, problems: sorted }
}

// an empty file, or a list or a lone value where the spec's mapping belongs
function checkDocumentShape(root: unknown, locator: SpecLocator): SpecProblem | undefined {
  if (root === null || (isScalar(root) && root.value === null)) {
    const message = 'the spec is empty: start it with apiVersion: pgshift/v1 and kind: Migration'
    return locator.problem({ path: [], code: 'empty-spec', message })
  }
  if (isMap(root)) return undefined
  const found = isSeq(root) ? 'a list' : 'a single value'
  const message = `the spec must be a mapping of keys (apiVersion, kind, metadata...), got ${found}`
  return locator.problem({ path: [], code: 'not-a-mapping', message })
}

function hasWhereFilter(data: unknown): boolean {
  const objects = asRecord(data)?.['objects']
  if (!Array.isArray(objects)) return false
  return objects.some((entry) => {
    const tables = asRecord(entry)?.['tables']
    const hasWhere = (table: unknown): boolean => typeof asRecord(table)?.['where'] === 'string'
    return Array.isArray(tables) && tables.some(hasWhere)
  })
}

// by position, then as found; the same problem reported twice is shown once
function sortProblems(problems: readonly SpecProblem[]): SpecProblem[] {
  const seen = new Set<string>()
  return problems
    .filter((problem) => {
      const key = `${problem.line}:${problem.column}:${problem.code}:${problem.message}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .sort((a, b) => a.line - b.line || a.column - b.column)
}
