/**
 * `npm run docs`: regenerates README.md's spec reference from the JSON Schema.
 *
 *   tsx packages/core/src/spec/write-spec-reference.ts
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { README_PATH, replaceSpecReference } from './readme-spec-reference.js'
import { renderSpecReference } from './render-spec-reference.js'
import { readSpecSchema } from './validate-spec-schema.js'

/** Rewrites the README's block when it differs; says whether it did. */
export function writeSpecReference(readmePath = README_PATH): boolean {
  const readme = readFileSync(readmePath, 'utf8')
  const updated = replaceSpecReference(readme, renderSpecReference(readSpecSchema()))
  // untouched when equal, so that the file's mtime does not wake watchers for nothing
  if (updated === readme) return false
  writeFileSync(readmePath, updated)
  return true
}

if (require.main === module) {
  try {
    const changed = writeSpecReference()
    process.stdout.write(`README.md: spec reference ${changed ? 'regenerated' : 'already up to date'}\n`)
  } catch (error) {
    process.stderr.write(`npm run docs: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
}
