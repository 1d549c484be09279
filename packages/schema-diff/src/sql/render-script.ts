import type { Operation } from '../diff/operation.js'
import { renderOperation } from './render-operation.js'

/**
 * The operations as one SQL script, the text `pgshift diff` prints: statements separated by a
 * blank line, each ending with `;`; a statement that cannot run in a transaction block is
 * marked `-- runs outside a transaction`; `SET lock_timeout` (or `RESET lock_timeout`) comes
 * before a statement whose timeout differs from the previous one's, so the script also runs
 * as is through psql. Function bodies are not validated while the objects they use may not
 * exist yet (`SET check_function_bodies = false` first, as pg_dump does). Empty string when
 * there is nothing to do.
 */
export function renderScript(operations: readonly Operation[]): string {
  if (operations.length === 0) return ''
  const blocks: string[] = []
  if (operations.some((op) => op.kind === 'create_function' || op.kind === 'replace_function')) {
    blocks.push('SET check_function_bodies = false;')
  }
  let lockTimeoutMs: number | null = null
  for (const operation of operations) {
    for (const statement of renderOperation(operation)) {
      const lines: string[] = []
      if (statement.lockTimeoutMs !== lockTimeoutMs) {
        lines.push(
          statement.lockTimeoutMs === null
            ? 'RESET lock_timeout;'
            : `SET lock_timeout = '${statement.lockTimeoutMs}ms';`,
        )
        lockTimeoutMs = statement.lockTimeoutMs
      }
      if (!statement.transactional) lines.push('-- runs outside a transaction')
      lines.push(`${statement.sql};`)
      blocks.push(lines.join('\n'))
    }
  }
  return `${blocks.join('\n\n')}\n`
}
