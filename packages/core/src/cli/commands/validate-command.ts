import { Command, InvalidArgumentError, Option } from 'commander'
import { appliedPositionConsistency, isFollowing } from '../../incremental/applied-position-consistency.js'
import { openDatabase } from '../../pg/index.js'
import type { Database } from '../../pg/index.js'
import {
  renderValidationJson,
  renderValidationMarkdown,
  renderValidationText,
  validateMigration,
} from '../../validate/index.js'
import type { ComparisonMode, ValidationReport } from '../../validate/index.js'
import type { CliIo } from '../cli-io.js'
import { ExitCode } from '../exit-codes.js'
import type { CommandOutcome } from './command-outcome.js'
import { loadCommandSpec } from './load-command-spec.js'

interface ValidateFlags {
  readonly spec: string
  readonly format: 'text' | 'json' | 'markdown'
  readonly maxKeys: number
  readonly mode?: ComparisonMode
  readonly sequences: boolean
}

const RENDERERS: Readonly<Record<ValidateFlags['format'], (report: ValidationReport) => string>> = {
  text: renderValidationText,
  json: renderValidationJson,
  markdown: renderValidationMarkdown,
}

/** `pgshift validate --spec F`: proves the destination holds the source's data; exit 1 on any difference. */
export function validateCommand(io: CliIo, outcome: CommandOutcome): Command {
  return new Command('validate')
    .description('compare source and destination data; exit 1 on any difference')
    .addOption(new Option('--spec <file>', 'the migration spec (YAML)').makeOptionMandatory())
    .addOption(
      new Option('--format <format>', 'report format (markdown: for a pull request comment)')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .option('--max-keys <n>', 'differing rows listed per table', positiveInteger, 10)
    .addOption(
      new Option('--mode <mode>', "what is compared (default: the spec's options.validate)").choices([
        'count',
        'checksum',
      ]),
    )
    .option('--no-sequences', 'leave sequences out (before cutover they are expected behind)')
    .addHelpText(
      'after',
      '\nFor every table the spec migrates, counts the rows on both sides and compares\n' +
        'checksums of their values, computed in SQL on each side: the source through the\n' +
        "spec's filter, excluded and generated columns left out, renamed columns matched. Large\n" +
        'tables are compared in primary-key ranges, options.parallel.tables at a time; a\n' +
        'differing range is narrowed down to the rows, and the first --max-keys are listed:\n' +
        'missing on the destination, extra on the destination, or changed (with the columns).\n' +
        'A table without a primary or unique key is compared whole; its differing rows cannot\n' +
        "be named. Sequences must be at or past the source's on the destination (cutover sets\n" +
        'them). Only reads; safe to run at any time. While `pgshift apply` follows changes, each\n' +
        "range's destination side is read once the changes up to its source side are applied, and\n" +
        'a differing range is compared again before it counts, so a busy source raises no false alarm.\n' +
        'Exit status: 0 equal, 1 a difference found, 2 usage or spec error, 3 a database failed.',
    )
    .action(async (flags: ValidateFlags) => {
      const spec = await loadCommandSpec('validate', flags.spec, io)
      if (spec === undefined) {
        outcome.exitCode = ExitCode.usage
        return
      }
      const connections = spec.options.parallel.tables + 1
      const opened: Database[] = []
      try {
        const source = await openDatabase(spec.source.url, {
          role: 'source',
          maxConnections: connections,
          applicationName: 'pgshift validate',
        })
        opened.push(source)
        const destination = await openDatabase(spec.destination.url, {
          role: 'destination',
          maxConnections: connections,
          applicationName: 'pgshift validate',
        })
        opened.push(destination)
        // with apply following, each range's destination side waits for the changes of its source side
        const following = spec.types.includes('incremental') && (await isFollowing(destination.pool, spec.metadata.name))
        const report = await validateMigration({
          source,
          destination,
          spec,
          options: {
            maxKeys: flags.maxKeys,
            mode: flags.mode,
            sequences: flags.sequences,
            consistency: following ? appliedPositionConsistency(destination.pool, spec.metadata.name) : undefined,
          },
        })
        io.stdout.write(RENDERERS[flags.format](report))
        outcome.exitCode = report.status === 'equal' ? ExitCode.ok : ExitCode.problems
      } catch (error) {
        // connection errors name the host and the fix and never the password; others come
        // from a statement the server refused
        const message = error instanceof Error ? error.message : String(error)
        io.stderr.write(`pgshift validate: ${spec.source.url.redact(spec.destination.url.redact(message))}\n`)
        outcome.exitCode = ExitCode.failed
      } finally {
        await Promise.all(opened.map((db) => db.close()))
      }
    })
}

function positiveInteger(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected a whole number of at least 1')
  return parsed
}
