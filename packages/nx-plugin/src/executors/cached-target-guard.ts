import type { ExecutorContext } from '@nx/devkit'

/**
 * Why a live-database target must not run, or undefined when it may. The plugin infers these
 * targets with `cache: false`, but an nx.json `targetDefaults` entry (or a project.json
 * `cache`) overrides that silently; Nx would then replay an old plan or a success that
 * never touched today's databases.
 */
export function cachedTargetRefusal(context: ExecutorContext): string | undefined {
  const { projectName, targetName } = context
  const configured =
    projectName === undefined || targetName === undefined
      ? undefined
      : context.projectsConfigurations.projects[projectName]?.targets?.[targetName]
  if (context.target?.cache !== true && configured?.cache !== true) return undefined
  const target = targetName ?? 'this target'
  return (
    `pgshift: refusing to run ${projectName ?? '?'}:${target}: it is configured with cache: true, ` +
    'so Nx could replay an earlier result instead of reading the live databases. ' +
    `Remove "cache": true for "${target}" from targetDefaults in nx.json or from the target ` +
    'in project.json (pgshift infers it with cache: false).'
  )
}
