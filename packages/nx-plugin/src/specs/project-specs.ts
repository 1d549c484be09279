import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import type { ExecutorContext } from '@nx/devkit'
import { findSpecFiles } from '@pgshift/core'

/** How a command treats a project that holds several specs and was given no `spec`. */
export type SpecsPerRun =
  /** One CLI run over every spec (lint). */
  | 'together'
  /** One CLI run per spec, in file order (plan). */
  | 'each'
  /** Exactly one spec: refuse to guess (apply, status, validate, cutover). */
  | 'one'

/** Either the spec files to run, relative to the workspace root, or why there are none. */
export type SpecChoice =
  | { readonly ok: true; readonly files: readonly string[] }
  | { readonly ok: false; readonly message: string }

export interface SpecChoiceRequest {
  /** The `spec` option: a file relative to the workspace root or to the migrations folder. */
  readonly spec?: string | undefined
  /** The project's folder of specs, relative to the workspace root. */
  readonly migrationsDir?: string | undefined
  readonly perRun: SpecsPerRun
  /** `pgshift apply`, for messages. */
  readonly command: string
}

/**
 * Picks the spec files a command runs on. A project with one spec needs no `spec` option;
 * with several, commands that change or describe one migration refuse rather than pick one,
 * because applying the wrong spec is not undoable.
 */
export async function chooseSpecs(
  request: SpecChoiceRequest,
  context: ExecutorContext,
): Promise<SpecChoice> {
  const migrationsDir = request.migrationsDir ?? defaultMigrationsDir(context)
  if (request.spec !== undefined) {
    const file = resolveSpecPath(request.spec, migrationsDir, context.root)
    if (file === undefined) {
      const where = migrationsDir === undefined ? 'the workspace root' : `the workspace root or ${migrationsDir}`
      return { ok: false, message: `${request.command}: no spec file ${request.spec} (looked in ${where})` }
    }
    return { ok: true, files: [file] }
  }
  if (migrationsDir === undefined) {
    return {
      ok: false,
      message: `${request.command}: project ${context.projectName ?? '?'} has no migrations folder; set the migrationsDir or spec option`,
    }
  }
  let files: string[]
  try {
    files = await findSpecFiles([migrationsDir], context.root)
  } catch (error) {
    return { ok: false, message: `${request.command}: ${(error as Error).message}` }
  }
  if (files.length === 0) {
    return { ok: false, message: `${request.command}: no spec files (*.yaml, *.yml) in ${migrationsDir}` }
  }
  if (files.length > 1 && request.perRun === 'one') {
    const target = `${context.projectName ?? '<project>'}:${context.targetName ?? '<target>'}`
    const example = path.basename(files[0] ?? '')
    return {
      ok: false,
      message: [
        `${request.command}: ${migrationsDir} holds ${files.length} specs and none was chosen; ` +
          'pass one with --spec:',
        ...files.map((file) => `  ${file}`),
        `for example: nx run ${target} --spec=${example}`,
      ].join('\n'),
    }
  }
  return { ok: true, files }
}

/** `migrations/0002-sales-to-eu.yaml` → `0002-sales-to-eu`: names the spec's plan folder. */
export function specStem(file: string): string {
  return path.basename(file).replace(/\.ya?ml$/, '')
}

// Without the plugin's migrationsDir (a hand-written target) the same rule as inference
// applies: the project's migrations/ folder, or the project itself when it is that folder.
function defaultMigrationsDir(context: ExecutorContext): string | undefined {
  const projectName = context.projectName
  if (projectName === undefined) return undefined
  const root = context.projectsConfigurations.projects[projectName]?.root
  if (root === undefined) return undefined
  const nested = path.join(root, 'migrations')
  if (isDirectory(path.join(context.root, nested))) return nested
  return path.basename(root) === 'migrations' ? root : undefined
}

function resolveSpecPath(spec: string, migrationsDir: string | undefined, root: string): string | undefined {
  const candidates = [spec, ...(migrationsDir === undefined ? [] : [path.join(migrationsDir, spec)])]
  for (const candidate of candidates) {
    const absolute = path.resolve(root, candidate)
    if (existsSync(absolute) && !isDirectory(absolute)) return path.relative(root, absolute)
  }
  return undefined
}

function isDirectory(absolute: string): boolean {
  try {
    return statSync(absolute).isDirectory()
  } catch {
    return false
  }
}
