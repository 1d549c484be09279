// Validation benchmark: pgshift validate against the naive full comparison (`SELECT * ORDER BY
// key` of both sides streamed through cursors and compared row by row in Node, values left as
// text so no parsing is charged to it) on one large table copied between two throwaway
// clusters. Then the same validation with three rows corrupted on the destination, to price
// the drill-down. Usage: npx tsx bench/validate/run.ts [--rows 1000000] [--rounds 3] [--parallel 2]
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import { openDatabase } from '../../packages/core/src/pg/index.js'
import type { Database } from '../../packages/core/src/pg/index.js'
import { ConnectionUrl, loadSpecText } from '../../packages/core/src/spec/index.js'
import { validateMigration } from '../../packages/core/src/validate/index.js'
import type { ValidationReport } from '../../packages/core/src/validate/index.js'
import { startCluster } from '../../test/support/local-cluster.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    parallel: { type: 'string', default: '2' },
    'rows-per-range': { type: 'string' },
  },
})
const rows = Number(values.rows)
const rounds = Number(values.rounds)
const parallel = Number(values.parallel)
const rowsPerRange = values['rows-per-range'] === undefined ? undefined : Number(values['rows-per-range'])

const TABLE = `CREATE TABLE big (
  id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), at timestamptz NOT NULL, flag boolean,
  tags text[], payload jsonb)`

const FILL = `INSERT INTO big
SELECT g, md5(g::text), CASE WHEN g % 10 = 0 THEN NULL ELSE g * 1.25 END,
       timestamptz '2024-01-01Z' + g * interval '1 second', g % 7 = 0,
       ARRAY['t' || (g % 13), 't' || (g % 17)], jsonb_build_object('n', g, 'even', g % 2 = 0)
  FROM generate_series(1, ${rows}) g`

const FETCH = 10_000

async function exec(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = performance.now()
  const result = await work()
  return { seconds: (performance.now() - start) / 1000, result }
}

// the naive way: both sides in key order through server-side cursors, compared row by row
async function naiveCompare(sourceUrl: string, destinationUrl: string): Promise<number> {
  const open = async (url: string) => {
    // every value as its text: the naive side pays for no type parsing
    const client = new pg.Client({ connectionString: url, types: { getTypeParser: () => (value: string) => value } })
    await client.connect()
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    await client.query('DECLARE rows NO SCROLL CURSOR FOR SELECT * FROM big ORDER BY id')
    return client
  }
  const [source, destination] = await Promise.all([open(sourceUrl), open(destinationUrl)])
  let differing = 0
  try {
    for (;;) {
      const [a, b] = await Promise.all(
        [source, destination].map((client) => client.query<string[]>({ text: `FETCH ${FETCH} FROM rows`, rowMode: 'array' })),
      )
      const left = a?.rows ?? []
      const right = b?.rows ?? []
      for (let i = 0; i < Math.max(left.length, right.length); i++) {
        const x = left[i]
        const y = right[i]
        if (x === undefined || y === undefined || x.length !== y.length || x.some((value, index) => value !== y[index])) {
          differing++
        }
      }
      if (left.length < FETCH && right.length < FETCH) break
    }
  } finally {
    await Promise.all([source.end(), destination.end()])
  }
  return differing
}

async function main() {
  const [sourceCluster, destinationCluster] = await Promise.all([
    startCluster({ name: 'bench-validate-source' }),
    startCluster({ name: 'bench-validate-destination' }),
  ])
  const opened: Database[] = []
  try {
    const sourceUrl = sourceCluster.superuserUrl()
    const destinationUrl = destinationCluster.superuserUrl()
    const loadStart = performance.now()
    await exec(sourceUrl, `${TABLE}; ${FILL}`)
    await exec(sourceUrl, 'VACUUM ANALYZE big')
    await exec(destinationUrl, TABLE)
    const { spec, problems } = await loadSpecText(
      [
        'apiVersion: pgshift/v1',
        'kind: Migration',
        'metadata: { name: bench-validate }',
        `source: { url: "${sourceUrl}" }`,
        `destination: { url: "${destinationUrl}" }`,
        'conflicts: ignore',
        `options: { parallel: { tables: ${parallel} } }`,
      ].join('\n'),
      'bench.yaml',
    )
    if (spec === undefined) throw new Error(JSON.stringify(problems))
    const connections = { maxConnections: parallel + 1 }
    const source = await openDatabase(ConnectionUrl.parse(sourceUrl), { role: 'source', ...connections })
    opened.push(source)
    const destination = await openDatabase(ConnectionUrl.parse(destinationUrl), { role: 'destination', ...connections })
    opened.push(destination)
    await runFullCopy({ source, destination, spec, plan: await prepareCopyPlan(source, destination, spec) })
    await exec(destinationUrl, 'VACUUM ANALYZE big')
    console.log(`loaded and copied ${rows} rows in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`)

    const validate = () =>
      validateMigration({ source, destination, spec, options: { sequences: false, rowsPerRange } })
    // one untimed pass of each warms the caches both approaches read through
    await validate()
    await naiveCompare(sourceUrl, destinationUrl)

    const pgshift: number[] = []
    const naive: number[] = []
    let report: ValidationReport | undefined
    for (let round = 0; round < rounds; round++) {
      const ours = await timed(validate)
      if (ours.result.status !== 'equal') throw new Error('pgshift found a difference in equal data')
      report = ours.result
      pgshift.push(ours.seconds)
      const theirs = await timed(() => naiveCompare(sourceUrl, destinationUrl))
      if (theirs.result !== 0) throw new Error('the naive comparison found a difference in equal data')
      naive.push(theirs.seconds)
    }

    await exec(
      destinationUrl,
      `UPDATE big SET amount = amount + 0.01 WHERE id = ${Math.floor(rows / 8) + 1};
       DELETE FROM big WHERE id = ${Math.floor(rows / 2)};
       INSERT INTO big (id, name, at) VALUES (${rows + 1}, 'extra', now())`,
    )
    const drill: number[] = []
    for (let round = 0; round < rounds; round++) {
      const corrupted = await timed(validate)
      const found = corrupted.result.tables[0]?.differences.length
      if (found !== 3) throw new Error(`the drill-down found ${found} differences, not 3`)
      drill.push(corrupted.seconds)
    }
    const summary = {
      rows,
      rounds,
      parallel,
      ranges: report?.tables[0]?.ranges,
      row_hash: report?.rowHash,
      pgshift_validate_s: Number(median(pgshift).toFixed(2)),
      naive_select_star_s: Number(median(naive).toFixed(2)),
      speedup: Number((median(naive) / median(pgshift)).toFixed(1)),
      pgshift_with_3_differences_s: Number(median(drill).toFixed(2)),
      samples: { pgshift, naive, drill },
    }
    console.log(JSON.stringify(summary, null, 2))
  } finally {
    await Promise.all(opened.map((db) => db.close()))
    await Promise.all([sourceCluster.stop(), destinationCluster.stop()])
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
