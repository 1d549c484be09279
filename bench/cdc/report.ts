// Report of the CDC benchmark (bench/cdc/run.sh): pgshift against native logical replication
// run for run in the same round, the way issue #6 states its goals — lag p95 at 1,000 TPS,
// unthrottled lag p95 beside native's, the drain of a 60 s backlog — and pgshift's own
// figures (peak RSS, CPU, batches). Usage: npx tsx bench/cdc/report.ts --results DIR [--round-prefix TAG]
import path from 'node:path'
import { parseArgs } from 'node:util'
import { median, readLines } from '../lib/report-input.js'

const { values } = parseArgs({
  options: { results: { type: 'string' }, 'round-prefix': { type: 'string', default: '' } },
})
if (values.results === undefined) throw new Error('usage: report.ts --results DIR [--round-prefix TAG]')
const prefix = values['round-prefix']

interface CdcRun {
  readonly tool: string
  readonly rate: string
  readonly round: string
  readonly ts: string
  readonly rc: number
  readonly tps: number
  readonly rows_changed: number
  readonly drain_s: number | null
  readonly apply_rows_per_s_total: number | null
  readonly apply_rows_per_s_peak: number
  readonly lag_time_p50_s: number
  readonly lag_time_p95_s: number
  readonly lag_time_max_s: number
}

interface PgshiftRun {
  readonly round: string
  readonly ts: string
  readonly mode: 'follow' | 'drain'
  readonly peak_rss_kb: number
  readonly cpu_s: number
  readonly wall_s: number
  readonly stats: {
    transactions?: number
    changes?: number
    startup_s?: number | null
    streaming_to_caught_up_s?: number | null
    changes_at_caught_up?: number | null
  }
}

interface LoadLine {
  readonly round: string
  readonly variant: string
  readonly load1: number
}



const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-')
const range = (samples: readonly number[], digits = 2) => {
  const finite = samples.filter((x) => Number.isFinite(x))
  return finite.length === 0 ? '-' : `${fixed(Math.min(...finite), digits)}-${fixed(Math.max(...finite), digits)}`
}
const kilo = (value: number) => (Number.isFinite(value) ? `${(value / 1000).toFixed(1)} k` : '-')

// 124: not drained within DRAIN_TIMEOUT, kept with a null drain
const runs = readLines<CdcRun>(path.join(values.results, 'cdc.jsonl')).filter(
  (run) => run.round.startsWith(prefix) && (run.rc === 0 || run.rc === 124),
)
const pgshift = readLines<PgshiftRun>(path.join(values.results, 'pgshift-cdc.jsonl')).filter((run) =>
  run.round.startsWith(prefix),
)
const loads = readLines<LoadLine>(path.join(values.results, 'load.jsonl')).filter((line) => line.round.startsWith(prefix))

const variantOf = (run: CdcRun) => `${run.tool}:${run.rate}`
const label = (variant: string) =>
  variant === 'custom-backlog:max'
    ? 'pgshift : max, stopped during the load'
    : variant === 'native:max+backlog'
      ? 'native : max, disabled during the load'
      : variant.replace('custom', 'pgshift').replace(':', ' : ')
/** Row changes per second over the drain of a paused consumer. */
const drainRate = (run: CdcRun) => (run.drain_s === null || run.drain_s <= 0 ? Number.NaN : run.rows_changed / run.drain_s)
const isBacklog = (variant: string) => variant === 'custom-backlog:max' || variant === 'native:max+backlog'

// the pgshift process of a cdc.sh run: same round, the first record written before the run's own
const processOf = (run: CdcRun): PgshiftRun | undefined =>
  pgshift
    .filter((p) => p.round === run.round && p.ts <= run.ts && (run.tool === 'custom-backlog') === (p.mode === 'drain'))
    .sort((a, b) => (a.ts < b.ts ? 1 : -1))[0]

const variants = [...new Set(runs.map(variantOf))].sort()
console.log(
  '| tool : rate | runs | TPS done | lag p50 / p95 / max s | lag p95 s min-max | drain s | applied rows/s (load+drain; backlog: drain) | peak 5 s rows/s | load1 |',
)
console.log('|---|---|---|---|---|---|---|---|---|')
for (const variant of variants) {
  const group = runs.filter((run) => variantOf(run) === variant)
  const backlog = isBacklog(variant)
  const applied = group.map((run) => (backlog ? drainRate(run) : (run.apply_rows_per_s_total ?? Number.NaN)))
  const load1 = loads
    .filter((line) => group.some((run) => run.round === line.round) && (line.variant === variant || (variant === 'custom-backlog:max' && line.variant === 'custom-backlog')))
    .map((line) => line.load1)
  console.log(
    `| ${label(variant)} | ${group.length} | ${fixed(median(group.map((r) => r.tps)), 0)} | ` +
      (backlog
        ? '- | - | '
        : `${fixed(median(group.map((r) => r.lag_time_p50_s)))} / ${fixed(median(group.map((r) => r.lag_time_p95_s)))} / ${fixed(median(group.map((r) => r.lag_time_max_s)))} | ${range(group.map((r) => r.lag_time_p95_s))} | `) +
      `${fixed(median(group.map((r) => r.drain_s ?? Number.NaN)))} | ${kilo(median(applied))} | ` +
      `${backlog ? '-' : kilo(median(group.map((r) => r.apply_rows_per_s_peak)))} | ${fixed(median(load1), 2)} (${range(load1)}) |`,
  )
}

// goals of issue #6, each pgshift run beside the native run of the same round
interface Pair {
  readonly round: string
  readonly ours: CdcRun
  readonly native: CdcRun
}
function pairs(ours: string, native: string): Pair[] {
  return runs
    .filter((run) => variantOf(run) === ours)
    .flatMap((run) => {
      const twin = runs.find((other) => other.round === run.round && variantOf(other) === native)
      return twin === undefined ? [] : [{ round: run.round, ours: run, native: twin }]
    })
}

console.log('\n| goal (issue #6) | pairs | pgshift | native | pgshift - native (median of pairs) | pgshift / native (median of pairs) | verdict |')
console.log('|---|---|---|---|---|---|---|')
const at1000 = pairs('custom:1000', 'native:1000')
if (at1000.length > 0) {
  const ours = median(at1000.map((p) => p.ours.lag_time_p95_s))
  console.log(
    `| lag p95 < 0.5 s at 1,000 TPS | ${at1000.length} | ${fixed(ours)} s | ${fixed(median(at1000.map((p) => p.native.lag_time_p95_s)))} s | ` +
      `${fixed(median(at1000.map((p) => p.ours.lag_time_p95_s - p.native.lag_time_p95_s)))} s | - | ${ours < 0.5 ? 'met' : 'missed'} |`,
  )
}
const unthrottled = pairs('custom:max', 'native:max')
if (unthrottled.length > 0) {
  const diff = median(unthrottled.map((p) => p.ours.lag_time_p95_s - p.native.lag_time_p95_s))
  console.log(
    `| unthrottled lag p95 within 0.5 s of native's | ${unthrottled.length} | ${fixed(median(unthrottled.map((p) => p.ours.lag_time_p95_s)))} s | ` +
      `${fixed(median(unthrottled.map((p) => p.native.lag_time_p95_s)))} s | ${fixed(diff)} s (${range(unthrottled.map((p) => p.ours.lag_time_p95_s - p.native.lag_time_p95_s))}) | ` +
      `TPS ${fixed(median(unthrottled.map((p) => p.ours.tps / p.native.tps)))} | ${diff <= 0.5 ? 'met' : 'missed'} |`,
  )
}
const backlog = pairs('custom-backlog:max', 'native:max+backlog')
if (backlog.length > 0) {
  const ratio = median(backlog.map((p) => drainRate(p.ours) / drainRate(p.native)))
  console.log(
    `| drain a 60 s backlog at least as fast as native (rows/s) | ${backlog.length} | ${kilo(median(backlog.map((p) => drainRate(p.ours))))} rows/s, ${fixed(median(backlog.map((p) => p.ours.drain_s ?? Number.NaN)), 1)} s | ` +
      `${kilo(median(backlog.map((p) => drainRate(p.native))))} rows/s, ${fixed(median(backlog.map((p) => p.native.drain_s ?? Number.NaN)), 1)} s | - | ` +
      `${fixed(ratio)} (${range(backlog.map((p) => drainRate(p.ours) / drainRate(p.native)))}) | ${ratio >= 1 ? 'met' : 'missed'} |`,
  )
  // cdc.sh's drain includes pgshift's restart (node, prechecks, set-up check, stream start);
  // the log tells how long the applying itself took (to the tick that saw it caught up, 1 s)
  const applying = backlog.map((p) => {
    const process = processOf(p.ours)
    const seconds = process?.stats.streaming_to_caught_up_s ?? Number.NaN
    return { rate: (process?.stats.changes_at_caught_up ?? Number.NaN) / seconds, startup: (p.ours.drain_s ?? Number.NaN) - seconds }
  })
  const applyRatio = median(backlog.map((p, i) => (applying[i]?.rate ?? Number.NaN) / drainRate(p.native)))
  console.log(
    `| the same, pgshift's applying alone (streaming to caught up, restart left out) | ${backlog.length} | ${kilo(median(applying.map((a) => a.rate)))} rows/s (restart ${fixed(median(applying.map((a) => a.startup)), 1)} s) | ` +
      `${kilo(median(backlog.map((p) => drainRate(p.native))))} rows/s | - | ${fixed(applyRatio)} | ${applyRatio >= 1 ? 'met' : 'missed'} |`,
  )
}

// pgshift's process: the whole run (start-up, warm-up, load, drain, stop) or, for the backlog,
// the draining process alone
const ourRuns = runs.filter((run) => run.tool.startsWith('custom'))
if (ourRuns.length > 0) {
  console.log('\n| pgshift process | runs | peak RSS MB (median, max) | CPU s (median) | lifetime s | CPU % of one core | CPU ms per 1,000 row changes | first event to streaming s |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const variant of [...new Set(ourRuns.map(variantOf))].sort()) {
    const procs = ourRuns
      .filter((run) => variantOf(run) === variant)
      .map(processOf)
      .filter((p): p is PgshiftRun => p !== undefined)
    if (procs.length === 0) continue
    const rss = procs.map((p) => p.peak_rss_kb / 1024)
    const per = (f: (p: PgshiftRun) => number) => median(procs.map(f))
    console.log(
      `| ${label(variant)} | ${procs.length} | ${fixed(median(rss), 0)}, ${fixed(Math.max(...rss), 0)} | ${fixed(per((p) => p.cpu_s), 1)} | ` +
        `${fixed(per((p) => p.wall_s), 1)} | ${fixed(per((p) => (100 * p.cpu_s) / p.wall_s), 0)} | ` +
        `${fixed(per((p) => (1e6 * p.cpu_s) / (p.stats.changes ?? Number.NaN)), 0)} | ${fixed(per((p) => p.stats.startup_s ?? Number.NaN), 1)} |`,
    )
  }
}
