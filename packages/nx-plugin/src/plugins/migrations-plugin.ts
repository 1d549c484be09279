import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createNodesFromFiles } from '@nx/devkit'
import type {
  CreateNodes,
  CreateNodesContext,
  CreateNodesResult,
  TargetConfiguration,
} from '@nx/devkit'

/** Options of the plugin entry in nx.json: the name of each inferred target. */
export interface PgshiftPluginOptions {
  readonly lintTargetName?: string
  readonly planTargetName?: string
  readonly applyTargetName?: string
  readonly statusTargetName?: string
  readonly validateTargetName?: string
  readonly cutoverTargetName?: string
}

/** Spec files the plugin looks at; only those declaring `apiVersion: pgshift/v1` count. */
export const SPEC_FILE_GLOB = '**/migrations/*.{yaml,yml}'

/**
 * Where `migrate-plan` writes: one folder per spec below it, named after the spec file
 * (`dist/pgshift/db/0002-sales-to-eu/plan.json`). Under dist/ because a plan is a build
 * product to review and hand to apply, never a source to commit.
 */
export const PLAN_OUTPUT_DIR = 'dist/pgshift/{projectName}'

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
  // Every spec of a project yields the same targets (Nx merges them), so options name the
  // folder, never the file that happened to be matched.
  const specs = specsFromRoot === '.' ? '{projectRoot}' : `{projectRoot}/${specsFromRoot}`
  return {
    projects: {
      [projectRoot]: {
        targets: {
          [options.lintTargetName ?? 'migrate-lint']: lintTarget(context.workspaceRoot, specs),
          [options.planTargetName ?? 'migrate-plan']: liveTarget('migrate-plan', specs, {
            options: { out: PLAN_OUTPUT_DIR },
            outputs: [`{workspaceRoot}/${PLAN_OUTPUT_DIR}`],
            description:
              'Introspect both databases, run the prechecks and write plan.md + plan.json per spec',
          }),
          [options.applyTargetName ?? 'migrate-apply']: liveTarget('migrate-apply', specs, {
            description: 'Run the migration (schema, full copy, incremental); re-running resumes',
          }),
          [options.statusTargetName ?? 'migrate-status']: liveTarget('migrate-status', specs, {
            description: 'Show the phase, per-table progress and replication lag of a migration',
          }),
          [options.validateTargetName ?? 'migrate-validate']: liveTarget('migrate-validate', specs, {
            description: 'Compare source and destination data; fails on any difference',
          }),
          [options.cutoverTargetName ?? 'migrate-cutover']: liveTarget('migrate-cutover', specs, {
            description: 'Finish the migration: sequences, stop following the source, clean up',
          }),
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

function lintTarget(workspaceRoot: string, specs: string): TargetConfiguration {
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

interface LiveTargetShape {
  readonly description: string
  readonly options?: Record<string, unknown>
  readonly outputs?: string[]
}

// Never cached: these read live databases, so a result keyed on the spec and the URLs goes
// stale the moment either database changes. The executors refuse to run if a targetDefaults
// entry turns caching back on.
function liveTarget(executor: string, specs: string, shape: LiveTargetShape): TargetConfiguration {
  return {
    executor: `@pgshift/nx-plugin:${executor}`,
    cache: false,
    options: { migrationsDir: specs, ...shape.options },
    ...(shape.outputs ? { outputs: shape.outputs } : {}),
    metadata: { description: shape.description, technologies: ['pgshift'] },
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
