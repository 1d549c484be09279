import { existsSync, readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'

/** Where the suite runner looks for tests when given no paths (relative to the workspace root). */
export const DEFAULT_TEST_ROOTS = ['packages/*/src', 'test']

const SKIPPED_DIRS = new Set(['node_modules', 'dist'])

export interface CollectedTests {
  /** Absolute paths of *.test.ts files, sorted, without duplicates. */
  files: string[]
  /** Arguments that matched nothing on disk. */
  missing: string[]
}

/**
 * Expand paths into *.test.ts files. Node 20's `--test` neither expands globs nor finds
 * .ts files by itself, so the runner passes an explicit list. A path is a file or a
 * directory searched recursively (skipping node_modules, dist and dot-directories); a
 * `*` segment matches one directory level, as in `packages/*\/src`. Relative paths are
 * taken from the workspace root, so packages can call the runner from their own directory.
 */
export function collectTestFiles(workspaceRoot: string, paths: string[]): CollectedTests {
  const files = new Set<string>()
  const missing: string[] = []
  for (const path of paths) {
    const matches = expandStars(isAbsolute(path) ? path : resolve(workspaceRoot, path))
    if (matches.length === 0) missing.push(path)
    for (const match of matches) {
      if (statSync(match).isDirectory()) walk(match, files)
      else if (match.endsWith('.test.ts')) files.add(match)
      else missing.push(path)
    }
  }
  return { files: [...files].sort((a, b) => relative(workspaceRoot, a).localeCompare(relative(workspaceRoot, b))), missing }
}

/** Existing paths matching a path whose segments may be exactly `*`. */
function expandStars(path: string): string[] {
  const segments = path.split('/')
  let current = [segments[0] === '' ? '/' : (segments[0] ?? '')]
  for (const segment of segments.slice(1)) {
    if (segment === '') continue
    const next: string[] = []
    for (const base of current) {
      if (segment !== '*') {
        next.push(join(base, segment))
        continue
      }
      if (!isDirectory(base)) continue
      for (const entry of readdirSync(base).sort()) {
        if (!entry.startsWith('.')) next.push(join(base, entry))
      }
    }
    current = next
  }
  return current.filter((candidate) => existsSync(candidate))
}

function walk(dir: string, files: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path, files)
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) files.add(path)
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
