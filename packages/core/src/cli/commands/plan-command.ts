import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Command, Option } from 'commander'
import { makePlan, renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../plan/index.js'
import type { CliIo } from '../cli-io.js'
import { ExitCode } from '../exit-codes.js'
import type { CommandOutcome } from './command-outcome.js'
import { loadCommandSpec } from './load-command-spec.js'

interface PlanFlags {
  readonly spec: string
  readonly out?: string
  readonly format: 'text' | 'json' | 'markdown'
}

/** `pgshift plan --spec F`: the reviewed plan, from read-only connections. */
export function planCommand(io: CliIo, outcome: CommandOutcome): Command {
  return new Command('plan')
    .description('introspect both databases read-only, run the prechecks and print or write the plan')
    .addOption(new Option('--spec <file>', 'the migration spec (YAML)').makeOptionMandatory())
    .option('--out <dir>', 'write plan.md and plan.json into this folder')
    .addOption(new Option('--format <format>', 'what to print').choices(['text', 'json', 'markdown']).default('text'))
    .addHelpText(
      'after',
      '\nThe plan lists the prechecks, every DDL statement with its hazards, every table\'s\n' +
        'copy step (query, mapping, estimated rows and bytes, chunks), sequences, the\n' +
        'incremental set-up and the cutover steps, and a fingerprint of its inputs that\n' +
        '`pgshift apply --plan plan.json` checks. Same inputs, same bytes: no timestamps,\n' +
        'no passwords. Nothing is written to either database.\n' +
        'Exit status: 0 planned, 1 planned but a precheck found an error, 2 usage or spec\n' +
        'error, 3 a database failed.',
    )
    .action(async (flags: PlanFlags) => {
      const spec = await loadCommandSpec('plan', flags.spec, io)
      if (spec === undefined) {
        outcome.exitCode = ExitCode.usage
        return
      }
      try {
        const plan = await makePlan(spec)
        if (flags.out !== undefined) {
          const dir = path.resolve(io.cwd, flags.out)
          await mkdir(dir, { recursive: true })
          await writeFile(path.join(dir, 'plan.json'), renderPlanJson(plan))
          await writeFile(path.join(dir, 'plan.md'), renderPlanMarkdown(plan))
        }
        const color = (io.stdout as { isTTY?: boolean }).isTTY === true && io.env.NO_COLOR === undefined
        io.stdout.write(
          flags.format === 'json'
            ? renderPlanJson(plan)
            : flags.format === 'markdown'
              ? renderPlanMarkdown(plan)
              : renderPlanText(plan, { color }),
        )
        if (flags.out !== undefined) {
          io.stderr.write(`pgshift plan: wrote ${path.join(flags.out, 'plan.md')} and ${path.join(flags.out, 'plan.json')}\n`)
        }
        outcome.exitCode = plan.summary.errors > 0 ? ExitCode.problems : ExitCode.ok
      } catch (error) {
        io.stderr.write(`pgshift plan: ${error instanceof Error ? error.message : String(error)}\n`)
        if (io.env.PGSHIFT_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`)
        outcome.exitCode = ExitCode.failed
      }
    })
}
