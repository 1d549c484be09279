import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createNodesFromFiles } from '@nx/devkit'
import type {
  CreateNodes,
  CreateNodesContext,
  CreateNodesResult,
  TargetConfiguration,
} from '@nx/devkit'

/** Options of the plugin entry in nx.json. */
export interface PgshiftPluginOptions {
  /** Name of the inferred lint target. */
  readonly lintTargetName?: string
}

/** Spec files the plugin looks at; only those declaring `apiVersion: pgshift/v1` count. */
export const SPEC_FILE_GLOB = '**/migrations/*.{yaml,yml}'

const API_VERSION = /^apiVersion:\s*["']?pgshift\/v1["']?\s*(#.*)?$/m

/**
 * Gives every project that owns a `migrations/` folder of pgshift specs its `migrate-*`
 * targets. The owner is the `migrations/` folder itself when it holds a project.json, else its
 * parent when that is a project; loose folders are ignored rather than invented as projects.
 */
export const createNodes: CreateNodes<PgshiftPluginOptions> = [
  SPEC_FILE_GLOB,
  (specFiles, options, context) =>
    createNodesFromFiles(
      (file, pluginOptions, fileContext) => createNodesForSpec(file, pluginOptions ?? {}, fileContext),
      specFiles,
      options ?? {},
      context,
    ),
]

/** Alias kept for workspaces that still name the v2 API. */
export const createNodesV2 = createNodes

function createNodesForSpec(
  specFile: string,
  options: PgshiftPluginOptions,
  context: CreateNodesContext,
): CreateNodesResult {
  const absolute = path.join(context.workspaceRoot, specFile)
  if (!API_VERSION.test(readFileSync(absolute, 'utf8'))) return {}
  const migrationsDir = path.dirname(specFile)
  const projectRoot = findOwningProject(context.workspaceRoot, migrationsDir)
  if (projectRoot === undefined) return {}
  const specsFromRoot = path.relative(projectRoot, migrationsDir) || '.'
  const lintTargetName = options.lintTargetName ?? 'migrate-lint'
  return {
    projects: {
      [projectRoot]: {
        targets: {
          [lintTargetName]: lintTarget(context.workspaceRoot, specsFromRoot),
        },
      },
    },
  }
}

function findOwningProject(workspaceRoot: string, migrationsDir: string): string | undefined {
  const isProject = (dir: string) =>
    existsSync(path.join(workspaceRoot, dir, 'project.json')) ||
    existsSync(path.join(workspaceRoot, dir, 'package.json'))
  if (existsSync(path.join(workspaceRoot, migrationsDir, 'project.json'))) return migrationsDir
  const parent = path.dirname(migrationsDir)
  return isProject(parent) ? parent : undefined
}

function lintTarget(workspaceRoot: string, specsFromRoot: string): TargetConfiguration {
  const specs = specsFromRoot === '.' ? '{projectRoot}' : `{projectRoot}/${specsFromRoot}`
  return {
    executor: '@pgshift/nx-plugin:migrate-lint',
    cache: true,
    inputs: [`${specs}/*.yaml`, `${specs}/*.yml`, ...engineInputs(workspaceRoot)],
    options: { migrationsDir: specs },
    metadata: {
      description: 'Validate the pgshift specs offline (syntax, schema, names, where filters)',
      technologies: ['pgshift'],
    },
  }
}

// A lint result depends on the engine's version as much as on the specs. Inside the pgshift
// repository the engine is source code, elsewhere an installed package.
function engineInputs(workspaceRoot: string): NonNullable<TargetConfiguration['inputs']> {
  const coreSources = path.join(workspaceRoot, 'packages', 'core', 'src')
  if (existsSync(coreSources)) {
    return [
      '{workspaceRoot}/packages/core/src/**/*',
      '{workspaceRoot}/packages/core/schema/**/*',
      '{workspaceRoot}/packages/nx-plugin/src/**/*',
    ]
  }
  return [{ externalDependencies: ['@pgshift/core', '@pgshift/nx-plugin'] }]
}
