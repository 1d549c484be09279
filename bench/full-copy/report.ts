// Report of the full-copy benchmark (bench/full-copy/run.sh): pgshift against each anchor in
// paired ratios (pgshift's wall time over the anchor's in the same round, the way issue #5
// states its targets), the floor of the box, and pgshift's own figures (peak RSS, client CPU,
// per-step times). Usage: npx tsx bench/full-copy/report.ts --results DIR [--round-prefix TAG]
import path from 'node:path'
import { parseArgs } from 'node:util'
import { median, readLines } from '../lib/report-input.js'

const { values } = parseArgs({
  options: { results: { type: 'string' }, 'round-prefix': { type: 'string', default: '' } },
})
if (values.results === undefined) throw new Error('usage: report.ts --results DIR [--round-prefix TAG]')
const prefix = values['round-prefix']

interface CopyRun {
  readonly kind: 'fullcopy' | 'floor'
  readonly anchor: string
  readonly round: string
  readonly wall_s: number
  readonly rc: number
  readonly ok: boolean | string
  readonly load1: number
  readonly phases: Record<string, number>
}

interface PgshiftRun {
  readonly round: string
  readonly peak_rss_kb: number
  readonly cpu_s: number
  readonly steps: Record<string, number>
  readonly units: readonly { unit: string; rows: number; bytes: number; s: number }[]
}

// the targets of issue #5: pgshift / anchor in paired ratios, and against the floor
const TARGETS: Readonly<Record<string, number>> = { 'psql-pipe': 0.8, 'dump-dir-z0': 0.6 }
const FLOOR_TARGET = 1.6
const RSS_TARGET_MB = 300



const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-')
const range = (samples: readonly number[], digits = 1) =>
  samples.length === 0 ? '-' : `${fixed(Math.min(...samples), digits)}-${fixed(Math.max(...samples), digits)}`

const copies = readLines<CopyRun>(path.join(values.results, 'fullcopy.jsonl')).filter(
  (run) => run.round.startsWith(prefix) && run.rc === 0 && run.ok !== false,
)
const pgshift = readLines<PgshiftRun>(path.join(values.results, 'pgshift.jsonl')).filter((run) =>
  run.round.startsWith(prefix),
)
const full = copies.filter((run) => run.kind === 'fullcopy')
const custom = new Map(full.filter((run) => run.anchor === 'custom').map((run) => [run.round, run.wall_s]))
const anchors = [...new Set(full.map((run) => run.anchor))]

console.log('| variant | runs | median s | min-max s | pgshift / variant (paired, median) | min-max | target | load1 at start (median, min-max) |')
console.log('|---|---|---|---|---|---|---|---|')
for (const anchor of anchors) {
  const runs = full.filter((run) => run.anchor === anchor)
  const walls = runs.map((run) => run.wall_s)
  const ratios = runs
    .filter((run) => custom.has(run.round))
    .map((run) => (custom.get(run.round) as number) / run.wall_s)
  const target = TARGETS[anchor]
  const verdict = target === undefined ? '' : `<= ${target} ${median(ratios) <= target ? 'met' : 'missed'}`
  const loads = runs.map((run) => run.load1)
  const name = anchor === 'custom' ? 'pgshift' : anchor
  console.log(
    `| ${name} | ${runs.length} | ${fixed(median(walls))} | ${range(walls)} | ${fixed(median(ratios), 2)} | ` +
      `${range(ratios, 2)} | ${verdict} | ${fixed(median(loads), 2)} (${range(loads, 2)}) |`,
  )
}

// the floor: the destination alone loading files server-side, then building the indexes
const floorRuns = copies.filter((run) => run.kind === 'floor' && run.anchor === 'dst-server')
const floors = floorRuns.map((run) => run.phases['load_plus_indexes']).filter((x): x is number => x !== undefined)
if (floors.length > 0) {
  const floor = median(floors)
  const ours = median([...custom.values()])
  console.log(
    `\nfloor (dst-server load + indexes): ${fixed(floor)} s median over ${floors.length} run(s) (${range(floors)}); ` +
      `pgshift median / floor = ${fixed(ours / floor, 2)} (target <= ${FLOOR_TARGET})`,
  )
}
for (const variant of ['src-binary', 'src-text', 'src-server', 'dst-text']) {
  const walls = copies.filter((run) => run.kind === 'floor' && run.anchor === variant).map((run) => run.wall_s)
  if (walls.length > 0) console.log(`floor ${variant}: ${fixed(median(walls))} s median (${range(walls)})`)
}

if (pgshift.length > 0) {
  const rss = pgshift.map((run) => run.peak_rss_kb / 1024)
  console.log(
    `\npgshift peak RSS: ${fixed(median(rss), 0)} MB median, ${fixed(Math.max(...rss), 0)} MB max ` +
      `(target < ${RSS_TARGET_MB} MB); client CPU (user+sys): ${fixed(median(pgshift.map((run) => run.cpu_s)))} s median`,
  )
  const steps = [...new Set(pgshift.flatMap((run) => Object.keys(run.steps)))]
  console.log(
    `pgshift steps (median s): ${steps.map((step) => `${step} ${fixed(median(pgshift.map((run) => run.steps[step] ?? Number.NaN)))}`).join(', ')}`,
  )
  const units = [...new Set(pgshift.flatMap((run) => run.units.map((unit) => unit.unit)))]
  const unitMedians = units
    .map((unit) => ({
      unit,
      s: median(pgshift.flatMap((run) => run.units.filter((u) => u.unit === unit).map((u) => u.s))),
      mb: median(pgshift.flatMap((run) => run.units.filter((u) => u.unit === unit).map((u) => u.bytes / 1e6))),
    }))
    .sort((a, b) => b.s - a.s)
    .slice(0, 8)
  console.log(`slowest copy units (median s, MB): ${unitMedians.map((u) => `${u.unit} ${fixed(u.s)} s ${fixed(u.mb, 0)} MB`).join('; ')}`)
}
