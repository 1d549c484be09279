import { Command, Option } from 'commander'
import path from 'node:path'
import { NotAvailableError, PlanDriftError, PrecheckBlockedError, runApply } from '../../apply/index.js'
import { readPlanFile } from '../../plan/index.js'
import type { Plan } from '../../plan/index.js'
import type { CliIo } from '../cli-io.js'
import { ExitCode } from '../exit-codes.js'
import { startApplyObservers } from '../output/apply-observers.js'
import type { ApplyObservers } from '../output/apply-observers.js'
import { jsonReporter, textReporter } from '../output/apply-reporter.js'
import type { LogFormat } from '../output/apply-reporter.js'
import type { CommandOutcome } from './command-outcome.js'
import { loadCommandSpec } from './load-command-spec.js'
import { parsePort } from './parse-port.js'

interface ApplyFlags {
  readonly spec: string
  readonly plan?: string
  readonly dryRun?: boolean
  readonly yes?: boolean
  readonly until?: 'caught-up'
  readonly ignoreWarnings?: boolean
  readonly logFormat: LogFormat
  readonly metricsPort?: number
  readonly metricsHost: string
}

/** `pgshift apply --spec F`: runs the migration; re-running resumes. */
export function applyCommand(io: CliIo, outcome: CommandOutcome): Command {
  return new Command('apply')
    .description('run the migration: prechecks, schema, full copy, sequences, then follow changes; re-running resumes')
    .addOption(new Option('--spec <file>', 'the migration spec (YAML)').makeOptionMandatory())
    .option('--plan <file>', 'a reviewed plan.json; refuse when the databases drifted from it')
    .option('--dry-run', 'print every statement that would run and change nothing')
    .option('--yes', 'do not ask for confirmation (apply never prompts; accepted for pipelines)')
    .addOption(
      new Option(
        '--until <point>',
        'with incremental: return once the destination has caught up with the source (default: follow until cutover or SIGTERM)',
      ).choices(['caught-up']),
    )
    .option('--ignore-warnings', 'go on when prechecks report warnings (errors always stop)')
    .addOption(
      new Option('--log-format <format>', 'progress output: text (bars on a terminal) or JSON lines')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addOption(
      new Option('--metrics-port <port>', 'serve Prometheus metrics at /metrics on this port while apply runs (0: any free port)')
        .argParser(parsePort),
    )
    .option('--metrics-host <address>', 'address the metrics endpoint listens on', '127.0.0.1')
    .addHelpText(
      'after',
      '\nSteps: prechecks; schema pre-data (types, tables, sequences); full copy (parallel,\n' +
        'resumable COPY under one snapshot); schema post-data (keys, indexes, foreign keys,\n' +
        "triggers, views); sequences set to the source's values. Each step is recorded in the\n" +
        "destination's pgshift schema; after a failure or a kill, run the same command again.\n" +
        'With incremental in the spec\'s types, a publication, a slot and a heartbeat are set up\n' +
        'on the source before the copy, and after it apply follows the source\'s changes, each\n' +
        'source transaction applied exactly once, until `pgshift cutover` (or abort) from another\n' +
        'process or SIGTERM/Ctrl-C (a clean stop: re-run to resume); --until caught-up returns\n' +
        'once everything the source had committed is applied.\n' +
        'Precheck errors stop it before anything changes; so do warnings, unless\n' +
        '--ignore-warnings. --dry-run connects read-only, prints the statements, and exits 1\n' +
        'when the prechecks would stop a real apply.\n' +
        'With --plan, the databases and the spec must still match the reviewed plan.json\n' +
        '(objects the migration created itself aside); any drift stops it, naming the objects.\n' +
        'Exit status: 0 done, 1 prechecks blocked or drift, 2 usage or spec error (or a feature this\n' +
        'version lacks), 3 a database or the copy failed (re-run to resume).\n' +
        'Metrics: --metrics-port N serves pgshift_* counters and gauges (rows and bytes copied,\n' +
        'changes applied, lag, applied LSN, retries, errors, phase) at http://127.0.0.1:N/metrics\n' +
        'until apply ends; the address is printed first (with 0, the port chosen).\n' +
        'Alerts: with options.alerts.webhook in the spec, a JSON payload is POSTed (retried, never\n' +
        'holding up the migration) when lag goes above options.alerts.maxLagSeconds and back, and\n' +
        'when a copy unit, a phase or the apply fails.',
    )
    .action(async (flags: ApplyFlags) => {
      const spec = await loadCommandSpec('apply', flags.spec, io)
      if (spec === undefined) {
        outcome.exitCode = ExitCode.usage
        return
      }
      let plan: Plan | undefined
      if (flags.plan !== undefined) {
        try {
          plan = await readPlanFile(path.resolve(io.cwd, flags.plan))
        } catch (error) {
          io.stderr.write(`pgshift apply: ${(error as Error).message}\n`)
          outcome.exitCode = ExitCode.usage
          return
        }
        if (plan.migration.name !== spec.metadata.name) {
          io.stderr.write(
            `pgshift apply: ${flags.plan} is a plan of migration ${plan.migration.name}, not ${spec.metadata.name}\n`,
          )
          outcome.exitCode = ExitCode.usage
          return
        }
      }
      let observers: ApplyObservers
      try {
        observers = await startApplyObservers({
          spec,
          io,
          logFormat: flags.logFormat,
          metricsPort: flags.metricsPort,
          metricsHost: flags.metricsHost,
          alerts: flags.dryRun !== true,
        })
      } catch (error) {
        io.stderr.write(`pgshift apply: ${(error as Error).message}\n`)
        outcome.exitCode = ExitCode.usage
        return
      }
      const reporter = flags.logFormat === 'json' ? jsonReporter(io.stdout) : textReporter(io.stdout)
      // SIGTERM/SIGINT while following changes: stop at a transaction boundary, exit 0, resumable
      const stop = new AbortController()
      const onSignal = () => stop.abort()
      process.once('SIGTERM', onSignal)
      process.once('SIGINT', onSignal)
      try {
        await runApply({
          spec,
          dryRun: flags.dryRun === true,
          ignoreWarnings: flags.ignoreWarnings === true,
          plan,
          until: flags.until ?? 'forever',
          signal: stop.signal,
          onEvent: (event) => {
            // the observers never throw, so a reporter failure cannot hide events from them
            observers.onEvent(event)
            reporter.onEvent(event)
          },
        })
        reporter.close()
        if (flags.dryRun !== true) {
          const migration = spec.metadata.name
          io.stdout.write(
            flags.logFormat === 'json'
              ? `${JSON.stringify({ time: new Date().toISOString(), type: 'applied', migration })}\n`
              : `migration ${migration} applied\n`,
          )
        }
        outcome.exitCode = ExitCode.ok
      } catch (error) {
        reporter.close()
        io.stderr.write(`pgshift apply: ${error instanceof Error ? error.message : String(error)}\n`)
        if (io.env.PGSHIFT_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`)
        outcome.exitCode = exitCodeOf(error)
        observers.failed(error, outcome.exitCode)
      } finally {
        process.off('SIGTERM', onSignal)
        process.off('SIGINT', onSignal)
        await observers.close()
      }
    })
}

// anything else (a connection lost, a statement refused, a failed copy) is a failure that a
// re-run resumes from
function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof PrecheckBlockedError || error instanceof PlanDriftError) return ExitCode.problems
  if (error instanceof NotAvailableError) return ExitCode.usage
  return ExitCode.failed
}
