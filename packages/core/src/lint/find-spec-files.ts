import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { glob, isDynamicPattern } from 'tinyglobby'

/** Where specs are looked for when lint is given no paths: every project's migrations folder. */
export const DEFAULT_SPEC_PATTERN = '**/migrations/*.{yaml,yml}'

const IGNORED = ['**/node_modules/**', '**/dist/**', '**/.*/**']

/** Raised when a path given on the command line matches nothing. */
export class SpecFilesNotFoundError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`no such spec file or folder: ${missing.join(', ')}`)
    this.name = 'SpecFilesNotFoundError'
  }
}

/**
 * Expands lint arguments into spec files: a file stands for itself, a folder for the YAML files
 * directly inside it, a quoted glob for its matches, and no argument for every
 * `migrations/*.yaml` below `cwd`. Paths come back as given (relative stays relative), sorted,
 * without duplicates.
 */
export async function findSpecFiles(
  paths: readonly string[],
  cwd: string = process.cwd(),
): Promise<string[]> {
  if (paths.length === 0) {
    return sortUnique(await glob(DEFAULT_SPEC_PATTERN, { cwd, ignore: IGNORED }))
  }
  const found: string[] = []
  const missing: string[] = []
  for (const given of paths) {
    if (isDynamicPattern(given)) {
      const matches = await glob(given, { cwd, ignore: IGNORED })
      if (matches.length === 0) missing.push(given)
      found.push(...matches)
      continue
    }
    const kind = await statKind(path.resolve(cwd, given))
    if (kind === 'file') {
      found.push(given)
    } else if (kind === 'directory') {
      const entries = await readdir(path.resolve(cwd, given), { withFileTypes: true })
      for (const entry of entries) {
        if (entry.isFile() && /\.ya?ml$/.test(entry.name)) found.push(path.join(given, entry.name))
      }
    } else {
      missing.push(given)
    }
  }
  if (missing.length > 0) throw new SpecFilesNotFoundError(missing)
  return sortUnique(found)
}

async function statKind(absolute: string): Promise<'file' | 'directory' | 'missing'> {
  try {
    const info = await stat(absolute)
    return info.isDirectory() ? 'directory' : 'file'
  } catch {
    return 'missing'
  }
}

function sortUnique(files: readonly string[]): string[] {
  return [...new Set(files)].sort()
}
