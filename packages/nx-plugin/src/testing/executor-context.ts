import type { ExecutorContext, TargetConfiguration } from '@nx/devkit'

export interface TestContextOptions {
  readonly projectName?: string
  readonly projectRoot?: string
  readonly targetName?: string
  /** The target's configuration as Nx resolved it (nx.json targetDefaults merged in). */
  readonly target?: TargetConfiguration
}

/** The ExecutorContext Nx hands an executor, as a literal: no Nx process needed. */
export function executorContext(root: string, options: TestContextOptions = {}): ExecutorContext {
  const projectName = options.projectName ?? 'db'
  const targetName = options.targetName ?? 'migrate-apply'
  const target = options.target ?? { executor: `@pgshift/nx-plugin:${targetName}`, cache: false }
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName,
    targetName,
    target,
    projectGraph: { nodes: {}, dependencies: {} },
    projectsConfigurations: {
      version: 2,
      projects: {
        [projectName]: { root: options.projectRoot ?? projectName, targets: { [targetName]: target } },
      },
    },
    nxJsonConfiguration: {},
  }
}
