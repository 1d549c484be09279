import { isMap, isPair, isScalar, isSeq } from 'yaml'
import type { Document, Node as YamlNode, Scalar } from 'yaml'
import { formatSpecPath } from './format-spec-path.js'
import type { SpecPath } from './format-spec-path.js'
import type { SpecIssue } from './spec-locator.js'

/** The environment `${VAR}` references are taken from. */
export type SpecEnv = Readonly<Record<string, string | undefined>>

/** The outcome of substituting `${VAR}` references in one string. */
export interface InterpolatedString {
  readonly value: string
  /** Names of the variables referenced, in order of appearance. */
  readonly variables: readonly string[]
  /** The `:-default` texts written in the string. */
  readonly defaults: readonly string[]
  /** Variables that are unset and have no default. */
  readonly missing: readonly string[]
  /** Why a reference cannot be read (`${1A}`, an unclosed `${`); the rest is still substituted. */
  readonly syntaxError: string | undefined
}

/** What interpolation did to one scalar of the document. */
export interface EnvScalar {
  readonly path: SpecPath
  /** The text before substitution. */
  readonly original: string
  readonly variables: readonly string[]
  readonly defaults: readonly string[]
  /** Unset variables without a default; the value holds a placeholder in their place. */
  readonly missing: readonly string[]
}

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/u

/**
 * Substitutes `${VAR}` and `${VAR:-default}` (default when VAR is unset or empty) in a string;
 * `$${` stands for a literal `${`. Unset variables without a default become `missingValue(name)`.
 */
export function interpolateString(
  text: string,
  env: SpecEnv,
  missingValue: (name: string) => string = () => '',
): InterpolatedString {
  const variables: string[] = []
  const defaults: string[] = []
  const missing: string[] = []
  let syntaxError: string | undefined
  let value = ''
  let index = 0
  while (index < text.length) {
    if (text.startsWith('$${', index)) {
      value += '${'
      index += 3
      continue
    }
    if (!text.startsWith('${', index)) {
      value += text[index] ?? ''
      index += 1
      continue
    }
    const close = text.indexOf('}', index + 2)
    if (close === -1) {
      syntaxError ??= `"${text.slice(index)}" has no closing "}" (write $\${ for a literal \${)`
      value += text.slice(index)
      break
    }
    const inner = text.slice(index + 2, close)
    const separator = inner.indexOf(':-')
    const name = separator === -1 ? inner : inner.slice(0, separator)
    const fallback = separator === -1 ? undefined : inner.slice(separator + 2)
    if (!variableName.test(name)) {
      syntaxError ??=
        `"\${${inner}}" is not a valid environment reference (names are letters, digits and _, ` +
        'not starting with a digit; write $${ for a literal ${)'
      value += text.slice(index, close + 1)
    } else {
      variables.push(name)
      if (fallback !== undefined) defaults.push(fallback)
      const found = env[name]
      if (fallback !== undefined && (found === undefined || found === '')) value += fallback
      else if (found !== undefined) value += found
      else {
        missing.push(name)
        value += missingValue(name)
      }
    }
    index = close + 1
  }
  return { value, variables, defaults, missing, syntaxError }
}

/** Options of {@link interpolateDocument}. */
export interface InterpolateOptions {
  readonly env: SpecEnv
  /** Leave unset variables unreported (offline lint); placeholders stand in either way. */
  readonly allowMissingEnv: boolean
}

// unset variables become their own name, or a URL where a whole URL comes from one variable,
// so that the checks that follow do not report the same gap again
const urlPlaceholders: ReadonlyMap<string, (name: string) => string> = new Map([
  ['source.url', (name: string) => `postgres://placeholder.invalid/${name}`],
  ['destination.url', (name: string) => `postgres://placeholder.invalid/${name}`],
  ['options.alerts.webhook', (name: string) => `https://placeholder.invalid/${name}`],
])

const wholeReference = /^\$\{[^}]*\}$/u

/**
 * Substitutes `${VAR}` in every string scalar of the document, in place, before validation.
 * Keys are left alone. A plain (unquoted) scalar that is exactly one `${VAR}` is read as YAML
 * would read the variable's text, so `tables: ${PARALLEL_TABLES}` yields a number.
 */
export function interpolateDocument(
  doc: Document.Parsed,
  options: InterpolateOptions,
): { readonly issues: SpecIssue[]; readonly scalars: Map<Scalar, EnvScalar> } {
  const issues: SpecIssue[] = []
  const scalars = new Map<Scalar, EnvScalar>()

  const visit = (node: YamlNode | null, path: SpecPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) {
          visit(pair.value as YamlNode | null, [...path, String(pair.key.value)])
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item as YamlNode | null, [...path, index]))
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      interpolateScalar(node, path)
    }
  }

  const interpolateScalar = (node: Scalar, path: SpecPath): void => {
    const original = node.value as string
    const whole = wholeReference.test(original)
    const urlPlaceholder = whole ? urlPlaceholders.get(path.join('.')) : undefined
    const result = interpolateString(original, options.env, (name) =>
      urlPlaceholder === undefined ? name : urlPlaceholder(name),
    )
    if (result.syntaxError !== undefined) {
      const message = `${formatSpecPath(path)}: ${result.syntaxError}`
      issues.push({ path, code: 'env-syntax', message })
    }
    if (!options.allowMissingEnv) {
      for (const name of new Set(result.missing)) {
        const message = `environment variable ${name} is not set`
        issues.push({ path, code: 'env-missing', message })
      }
    }
    const isPlain = node.type === 'PLAIN' || node.type === undefined
    const isComplete = result.missing.length === 0
    node.value = whole && isPlain && isComplete ? readAsYamlScalar(result.value) : result.value
    if (result.variables.length > 0 || result.value !== original) {
      scalars.set(node, {
        path,
        original,
        variables: result.variables,
        defaults: result.defaults,
        missing: result.missing,
      })
    }
  }

  visit(doc.contents as YamlNode | null, [])
  return { issues, scalars }
}

// the YAML 1.2 core schema's numbers and booleans; anything else stays a string
function readAsYamlScalar(text: string): string | number | boolean {
  if (/^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/u.test(text)) return Number(text)
  if (/^(true|True|TRUE)$/u.test(text)) return true
  if (/^(false|False|FALSE)$/u.test(text)) return false
  return text
}
