import { readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The version of @pgshift/core. Read at run time so that the same code works from src/ and from
 * the compiled dist/, both two folders below the package root.
 */
export function packageVersion(): string {
  const file = path.join(__dirname, '..', '..', 'package.json')
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}
