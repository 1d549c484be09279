import type { ExecutorContext } from '@nx/devkit'
import {
  findSpecFiles,
  lintSpecFiles,
  renderGithubAnnotations,
  renderLintJson,
  renderLintText,
} from '@pgshift/core'
import type { MigrateLintExecutorOptions } from './schema.js'

/** `nx run <project>:migrate-lint`: `pgshift lint` over the project's spec folder. */
export default async function migrateLintExecutor(
  options: MigrateLintExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const paths = [options.spec ?? options.migrationsDir]
  let files: string[]
  try {
    files = await findSpecFiles(paths, context.root)
  } catch (error) {
    console.error(`pgshift lint: ${(error as Error).message}`)
    return { success: false }
  }
  const result = await lintSpecFiles(files, {
    allowMissingEnv: options.allowMissingEnv ?? true,
    cwd: context.root,
  })
  // console rather than process.stdout: Nx captures and replays console output for the task.
  console.log((options.format === 'json' ? renderLintJson(result) : renderLintText(result)).trimEnd())
  if (process.env.GITHUB_ACTIONS) console.log(renderGithubAnnotations(result).trimEnd())
  return { success: result.errorCount === 0 }
}
