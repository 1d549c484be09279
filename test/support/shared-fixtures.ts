import { existsSync } from 'node:fs'
import path from 'node:path'
import { WORKSPACE_ROOT } from './workspace-root.js'

/**
 * A path under the project's shared folder (`../shared` beside the repository, where every
 * developer machine and CI keep it; `PGSHIFT_SHARED_DIR` points elsewhere). Fails with a
 * message that says where it looked, rather than a bare ENOENT deep inside a test.
 */
export function sharedFixture(...parts: string[]): string {
  const root = process.env.PGSHIFT_SHARED_DIR ?? path.join(WORKSPACE_ROOT, '..', 'shared')
  const file = path.join(root, 'fixtures', ...parts)
  if (!existsSync(file)) {
    throw new Error(
      `shared fixture ${parts.join('/')} not found at ${file}: keep the shared folder beside ` +
        'the repository, or set PGSHIFT_SHARED_DIR',
    )
  }
  return file
}
