import { closest, distance } from 'fastest-levenshtein'

/**
 * The candidate a mistyped word was most likely meant to be, for "did you mean" hints; undefined
 * when nothing is close enough to be a plausible typo.
 */
export function suggestName(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined
  const lower = word.toLowerCase()
  const caseMatch = candidates.find((candidate) => candidate.toLowerCase() === lower)
  if (caseMatch !== undefined) return caseMatch
  const best = closest(lower, candidates.map((candidate) => candidate.toLowerCase()))
  const index = candidates.findIndex((candidate) => candidate.toLowerCase() === best)
  // a third of the length: catches "paralel" and "destinaton" without pairing "prot" with "url"
  const tolerance = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3))
  return distance(lower, best) <= tolerance ? candidates[index] : undefined
}
