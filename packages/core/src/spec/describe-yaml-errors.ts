import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml'
import type { Document, LineCounter, Node as YamlNode, Scalar, YAMLError } from 'yaml'
import type { SpecProblem, SpecProblemCode } from './spec-problem.js'

/**
 * One-line problems for the YAML parser's errors and warnings, and for what the parser accepts
 * but a spec cannot use: collection keys and aliases without an anchor.
 */
export function describeYamlErrors(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  text: string,
  file: string,
): SpecProblem[] {
  const at = (offset: number, code: SpecProblemCode, message: string): SpecProblem => {
    const { line, col } = lineCounter.linePos(offset)
    return { file, line, column: col, severity: 'error', code, message }
  }
  const problems: SpecProblem[] = []
  for (const [index, error] of doc.errors.entries()) {
    // after a first error the parser loses track and reports every later token: noise
    if (index > 0 && error.code === 'UNEXPECTED_TOKEN') continue
    const flowReference = unquotedFlowReference(text, error.pos[0])
    if (flowReference !== undefined) {
      const message =
        'invalid YAML: inside { } or [ ], a value holding ${VAR} must be quoted, as in ' +
        "'${VAR}'"
      problems.push(at(flowReference, 'yaml-syntax', message))
      continue
    }
    const { code, message, offset } = describeError(error, doc)
    problems.push(at(offset ?? error.pos[0], code, message))
  }
  for (const warning of doc.warnings) {
    const problem = at(warning.pos[0], 'yaml-syntax', `YAML: ${oneLine(warning)}`)
    problems.push({ ...problem, severity: 'warning' })
  }
  if (doc.errors.length > 0) return problems

  const visit = (node: unknown): void => {
    if (isAlias(node)) {
      if (node.resolve(doc) === undefined) {
        const name = node.source
        const message = `invalid YAML: alias *${name} has no anchor &${name} before it`
        problems.push(at(node.range?.[0] ?? 0, 'yaml-syntax', message))
      }
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key) || pair.key.value === null) {
          const offset =
            (pair.key as YamlNode | null)?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0]
          const message = 'invalid YAML: a key must be a name, not a list, a mapping or nothing'
          problems.push(at(offset ?? 0, 'yaml-syntax', message))
        }
        visit(pair.value)
      }
    } else if (isSeq(node)) {
      node.items.forEach(visit)
    }
  }
  visit(doc.contents)
  return problems
}

function describeError(
  error: YAMLError,
  doc: Document.Parsed,
): { code: SpecProblemCode; message: string; offset?: number } {
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return {
        code: 'multiple-documents',
        message:
          'a spec file holds one document, but a second one starts here (split it into two files)',
      }
    case 'DUPLICATE_KEY': {
      const key = keyAt(doc.contents, error.pos[0])
      const name = key === undefined ? '' : ` ${JSON.stringify(key)}`
      return {
        code: 'duplicate-key',
        message: `duplicate key${name}: a key may appear only once in a mapping`,
      }
    }
    case 'TAB_AS_INDENT':
      return {
        code: 'yaml-syntax',
        message: 'invalid YAML: tabs are not allowed as indentation (use spaces)',
      }
    case 'MISSING_CHAR':
      if (/quote/u.test(error.message)) {
        // the parser notices at the end of the file; the opening quote is where to look
        return {
          code: 'yaml-syntax',
          message: 'invalid YAML: this quoted string is never closed',
          offset: unclosedQuoteAt(doc.contents, error.pos[0]),
        }
      }
      return { code: 'yaml-syntax', message: `invalid YAML: ${oneLine(error)}` }
    default:
      return { code: 'yaml-syntax', message: `invalid YAML: ${oneLine(error)}` }
  }
}

// the parser's message without the code frame that prettyErrors appends
function oneLine(error: YAMLError): string {
  const text = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/u, '').split('\n')[0] ?? ''
  return text.charAt(0).toLowerCase() + text.slice(1)
}

/**
 * The offset of an unquoted `${` in a flow collection on the line of an error: YAML reads its
 * braces as the collection's own, the most common way a spec with `${VAR}` fails to parse.
 */
function unquotedFlowReference(text: string, errorOffset: number): number | undefined {
  const lineStart = text.lastIndexOf('\n', errorOffset - 1) + 1
  const lineEnd = text.indexOf('\n', errorOffset)
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd)
  const match = /^[^#'"]*[[{][^#'"]*?(\$\{)/u.exec(line)
  return match === null ? undefined : lineStart + match[0].length - 2
}

function unclosedQuoteAt(root: unknown, end: number): number | undefined {
  let start: number | undefined
  visitScalars(root, (scalar) => {
    const isQuoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE'
    if (isQuoted && scalar.range?.[1] === end) start = scalar.range[0]
  })
  return start
}

function visitScalars(node: unknown, visit: (scalar: Scalar) => void): void {
  if (isScalar(node)) visit(node)
  else if (isMap(node)) {
    for (const pair of node.items) {
      visitScalars(pair.key, visit)
      visitScalars(pair.value, visit)
    }
  } else if (isSeq(node)) {
    for (const item of node.items) visitScalars(item, visit)
  }
}

function keyAt(node: unknown, offset: number): string | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.range?.[0] === offset) {
        return String(pair.key.value)
      }
      const found = keyAt(pair.value, offset)
      if (found !== undefined) return found
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = keyAt(item, offset)
      if (found !== undefined) return found
    }
  }
  return undefined
}
