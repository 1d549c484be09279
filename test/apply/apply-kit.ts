// Shared set-up of the apply tests: specs written to a temp folder, the CLI run in-process
// with captured output, and a source/destination pair of fresh databases.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import type { TestContext } from 'node:test'
import { main } from '../../packages/core/src/cli/main.js'
import { specText } from '../support/spec-text.js'
import { createTestDatabase } from '../support/test-databases.js'
import type { TestDatabase } from '../support/test-databases.js'

export interface ApplyPair {
  readonly source: TestDatabase
  readonly destination: TestDatabase
  /** A temp folder for specs, removed after the test. */
  readonly dir: string
  /** SOURCE_URL and TARGET_URL for the specs' `${...}` references. */
  readonly env: Record<string, string>
}

export async function createApplyPair(t: TestContext): Promise<ApplyPair> {
  const [source, destination] = await Promise.all([
    createTestDatabase(t, 'source'),
    createTestDatabase(t, 'destination'),
  ])
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pgshift-apply-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return { source, destination, dir, env: { SOURCE_URL: source.url, TARGET_URL: destination.url } }
}

/** Writes a spec around `body` (types, objects, options...) and returns its path. */
export async function writeSpec(pair: ApplyPair, body: string, name = 'apply-test'): Promise<string> {
  const file = path.join(pair.dir, `${name}.yaml`)
  const text = specText(name, body)
  await writeFile(file, text)
  return file
}

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `pgshift <args>` in this process with the pair's environment. */
export async function runCli(pair: ApplyPair, args: readonly string[]): Promise<CliRun> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: string[] = []
  const err: string[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()))
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()))
  const code = await main(['node', 'pgshift', ...args], {
    stdout,
    stderr,
    env: { ...pair.env, PATH: process.env.PATH },
    cwd: pair.dir,
  })
  return { code, stdout: out.join(''), stderr: err.join('') }
}
