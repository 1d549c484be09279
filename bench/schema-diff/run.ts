// Schema-diff benchmark: introspection + diff of a generated wide schema (tables with a primary
// key, two indexes, a foreign key to the previous table, a view every 10 tables) on a throwaway
// cluster. Usage: npx tsx bench/schema-diff/run.ts [--tables 2000] [--rounds 3]
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { diffSchemas, generateWideSchema, introspectSchema, renderScript } from '@pgshift/schema-diff'
import { startCluster } from '../../test/support/local-cluster.js'

const { values } = parseArgs({
  options: { tables: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' } },
})
const tables = Number(values.tables)
const rounds = Number(values.rounds)

function kyselyFor(url: string) {
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) })
}

async function exec(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

async function main() {
  const cluster = await startCluster({ name: 'bench-schema-diff' })
  try {
    const admin = cluster.superuserUrl()
    for (const name of ['wide_source', 'wide_copy', 'wide_empty']) await exec(admin, `CREATE DATABASE ${name}`)
    const schema = generateWideSchema({ tables })
    const loadStart = performance.now()
    await exec(cluster.superuserUrl('wide_source'), schema)
    await exec(cluster.superuserUrl('wide_copy'), schema)
    for (const name of ['wide_source', 'wide_copy']) await exec(cluster.superuserUrl(name), 'ANALYZE')
    console.log(`loaded ${tables} tables twice in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`)

    const source = kyselyFor(cluster.superuserUrl('wide_source'))
    const copy = kyselyFor(cluster.superuserUrl('wide_copy'))
    const empty = kyselyFor(cluster.superuserUrl('wide_empty'))
    const results: Record<string, number[]> = { introspect: [], diffEmpty: [], diffEqual: [], total: [] }
    let statements = 0
    for (let round = 0; round < rounds; round += 1) {
      const start = performance.now()
      const sourceModel = await introspectSchema(source)
      const introspected = performance.now()
      const emptyModel = await introspectSchema(empty)
      const copyModel = await introspectSchema(copy)
      const diffStart = performance.now()
      const create = diffSchemas(emptyModel, sourceModel)
      const script = renderScript(create)
      const diffEmptyEnd = performance.now()
      const same = diffSchemas(copyModel, sourceModel)
      const end = performance.now()
      if (same.length !== 0) throw new Error(`identical schemas diffed to ${same.length} operations`)
      statements = create.length
      void script
      results.introspect?.push((introspected - start) / 1000)
      results.diffEmpty?.push((diffEmptyEnd - diffStart) / 1000)
      results.diffEqual?.push((end - diffEmptyEnd) / 1000)
      // the figure the target is about: introspect the source and a destination, diff, render
      results.total?.push((introspected - start) * 2 / 1000 + (diffEmptyEnd - diffStart) / 1000)
    }
    await Promise.all([source.destroy(), copy.destroy(), empty.destroy()])
    const rssMb = process.resourceUsage().maxRSS / 1024
    const summary = {
      tables,
      rounds,
      operations: statements,
      introspect_s: median(results.introspect ?? []),
      diff_into_empty_s: median(results.diffEmpty ?? []),
      diff_identical_s: median(results.diffEqual ?? []),
      introspect_both_plus_diff_s: median(results.total ?? []),
      peak_rss_mb: Math.round(rssMb),
    }
    console.log(JSON.stringify(summary, null, 2))
  } finally {
    await cluster.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
