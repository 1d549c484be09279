import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

const SPEC = (name: string) => `apiVersion: pgshift/v1
kind: Migration
metadata:
  name: ${name}
source:
  url: \${SOURCE_DATABASE_URL}
destination:
  url: \${TARGET_DATABASE_URL}
`

/**
 * A scratch workspace with two projects: `one` holding a single spec, `two` holding two.
 * Returns its root and a function that removes it.
 */
export async function specWorkspace(): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pgshift-executor-'))
  const files: Record<string, string> = {
    'one/project.json': '{"name":"one"}',
    'one/migrations/0001-orders.yaml': SPEC('orders'),
    'two/project.json': '{"name":"two"}',
    'two/migrations/0001-sales.yaml': SPEC('sales'),
    'two/migrations/0002-billing.yml': SPEC('billing'),
  }
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await writeFile(path.join(root, file), content)
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) }
}
