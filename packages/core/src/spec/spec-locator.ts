import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml'
import type { Document, LineCounter, Node as YamlNode, Pair } from 'yaml'
import { formatSpecPath } from './format-spec-path.js'
import type { SpecPath } from './format-spec-path.js'
import type { SpecProblem, SpecProblemCode } from './spec-problem.js'

/** A problem found at a spec path, before it is given a line and column. */
export interface SpecIssue {
  readonly path: SpecPath
  readonly code: SpecProblemCode
  readonly message: string
  readonly severity?: 'error' | 'warning'
  /** Point at the key of the last path segment rather than at its value. */
  readonly target?: 'key' | 'value'
  /** An offset into the string value, honoured when the source text maps onto it one to one. */
  readonly offset?: number
}

/** Turns spec paths into 1-based line and column positions in the YAML source. */
export class SpecLocator {
  readonly #doc: Document.Parsed
  readonly #lineCounter: LineCounter
  readonly #text: string
  readonly #file: string

  constructor(doc: Document.Parsed, lineCounter: LineCounter, text: string, file: string) {
    this.#doc = doc
    this.#lineCounter = lineCounter
    this.#text = text
    this.#file = file
  }

  /** The node at a path (aliases followed), or undefined when the path does not exist. */
  nodeAt(path: SpecPath): YamlNode | undefined {
    const found = this.#walk(path)
    return found.depth === path.length ? (found.node ?? undefined) : undefined
  }

  /** A located problem for an issue. */
  problem(issue: SpecIssue): SpecProblem {
    const { line, col } = this.#lineCounter.linePos(this.offsetOf(issue))
    return {
      file: this.#file,
      line,
      column: col,
      severity: issue.severity ?? 'error',
      code: issue.code,
      message: issue.message,
      path: formatSpecPath(issue.path),
    }
  }

  /** The source offset an issue points at. */
  offsetOf(issue: SpecIssue): number {
    const found = this.#walk(issue.path)
    const exact = found.depth === issue.path.length
    if (exact && found.pair !== undefined && (issue.target === 'key' || isEmptyValue(found.node))) {
      return startOf(found.pair.key as YamlNode | null) ?? startOf(found.node) ?? 0
    }
    const start = startOf(found.node) ?? 0
    if (!exact || issue.offset === undefined || !isScalar(found.node)) return start
    return start + this.#scalarOffset(found.node, issue.offset)
  }

  // where the text of a single-line scalar equals its value, an offset into the value maps
  // onto the source; otherwise (escapes, folding, ${VAR}) the scalar's start is the best answer
  #scalarOffset(node: YamlNode, offset: number): number {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return 0
    const source = this.#text.slice(node.range[0], node.range[1])
    const value = node.value
    if (node.type === 'PLAIN' && source === value) return offset
    const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : ''
    if (quote !== '' && source === `${quote}${value}${quote}`) return offset + 1
    return 0
  }

  #walk(path: SpecPath): { node: YamlNode | null; pair: Pair | undefined; depth: number } {
    let node = this.#resolve(this.#doc.contents)
    let pair: Pair | undefined
    let depth = 0
    for (const segment of path) {
      let next: YamlNode | null | undefined
      let nextPair: Pair | undefined
      if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment] as YamlNode | undefined
        nextPair = undefined
      } else if (isMap(node)) {
        const key = String(segment)
        nextPair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key,
        )
        next = nextPair?.value as YamlNode | null | undefined
      }
      if (next === undefined && nextPair === undefined) break
      node = this.#resolve(next ?? null)
      pair = nextPair
      depth += 1
    }
    return { node, pair, depth }
  }

  #resolve(node: YamlNode | null): YamlNode | null {
    if (isAlias(node)) return (node.resolve(this.#doc) as YamlNode | undefined) ?? node
    return node
  }
}

function startOf(node: YamlNode | null): number | undefined {
  return node?.range?.[0]
}

// `key:` with nothing after it: a null scalar of zero width, best shown at its key
function isEmptyValue(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && !!node.range && node.range[0] === node.range[1])
}
