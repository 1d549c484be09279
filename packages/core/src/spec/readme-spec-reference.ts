import { join } from 'node:path'

/** The workspace's README.md, whose spec reference block is generated (`npm run docs`). */
export const README_PATH = join(__dirname, '..', '..', '..', '..', 'README.md')

export const SPEC_REFERENCE_START = '<!-- spec-reference:start -->'
export const SPEC_REFERENCE_END = '<!-- spec-reference:end -->'
const GENERATED_NOTE =
  '<!-- generated from packages/core/schema/pgshift-v1.schema.json by `npm run docs`: edit the schema, not this block -->'

/**
 * README text with the block between the spec reference markers replaced by `reference`.
 * Throws when the markers are missing, repeated or out of order: writing the reference
 * somewhere else would leave the real block stale without anyone noticing.
 */
export function replaceSpecReference(readme: string, reference: string): string {
  const start = readme.indexOf(SPEC_REFERENCE_START)
  const end = readme.indexOf(SPEC_REFERENCE_END)
  const isSingle =
    start !== -1 &&
    end > start &&
    readme.indexOf(SPEC_REFERENCE_START, start + 1) === -1 &&
    readme.indexOf(SPEC_REFERENCE_END, end + 1) === -1
  if (!isSingle) {
    throw new Error(`README.md must hold ${SPEC_REFERENCE_START} and then ${SPEC_REFERENCE_END}, once each`)
  }
  const block = `${SPEC_REFERENCE_START}\n${GENERATED_NOTE}\n\n${reference.trimEnd()}\n\n`
  return readme.slice(0, start) + block + readme.slice(end)
}
