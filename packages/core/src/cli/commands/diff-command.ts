import { Command } from 'commander'
import { renderScript } from '@pgshift/schema-diff'
import { ConnectionError, openDatabase } from '../../pg/index.js'
import type { Database } from '../../pg/index.js'
import { diffDatabases } from '../../schema/diff-databases.js'
import { ConnectionUrl } from '../../spec/index.js'
import type { CliIo } from '../cli-io.js'
import { ExitCode } from '../exit-codes.js'
import type { CommandOutcome } from './command-outcome.js'

interface DiffFlags {
  readonly source: string
  readonly destination: string
  readonly schema: string[]
  readonly excludeSchema: string[]
}

/** `pgshift diff`: the SQL that makes the destination's schema match the source's. */
export function diffCommand(io: CliIo, outcome: CommandOutcome): Command {
  return new Command('diff')
    .description("print the SQL that makes the destination's schema match the source's")
    .requiredOption('--source <url>', 'source database URL (postgres://...)')
    .requiredOption('--destination <url>', 'destination database URL (postgres://...)')
    .option('--schema <name>', 'only this schema (repeatable)', collect, [])
    .option('--exclude-schema <name>', 'leave this schema out (repeatable)', collect, [])
    .addHelpText(
      'after',
      '\nPrints nothing when the schemas are equal. Extensions the selected objects use are\n' +
        'created too. When a table to alter already holds rows, indexes are built\n' +
        'CONCURRENTLY, constraints are added NOT VALID and validated afterwards, and each\n' +
        'statement gets a lock_timeout.\n' +
        'Exit status: 0 done (with or without differences), 2 usage error, 3 a database failed.',
    )
    .action(async (flags: DiffFlags) => {
      const urls = parseUrls(flags, io)
      if (urls === undefined) {
        outcome.exitCode = ExitCode.usage
        return
      }
      const opened: Database[] = []
      try {
        const source = await openDatabase(urls.source, { role: 'source' })
        opened.push(source)
        const destination = await openDatabase(urls.destination, { role: 'destination' })
        opened.push(destination)
        const diff = await diffDatabases(source, destination, {
          schemas: flags.schema.length > 0 ? flags.schema : undefined,
          excludeSchemas: flags.excludeSchema,
        })
        io.stdout.write(renderScript(diff.operations))
        outcome.exitCode = ExitCode.ok
      } catch (error) {
        if (!(error instanceof ConnectionError)) throw error
        io.stderr.write(`pgshift diff: ${error.message}\n`)
        outcome.exitCode = ExitCode.failed
      } finally {
        await Promise.all(opened.map((db) => db.close()))
      }
    })
}

function parseUrls(
  flags: DiffFlags,
  io: CliIo,
): { source: ConnectionUrl; destination: ConnectionUrl } | undefined {
  try {
    return {
      source: parseOne(flags.source, 'source'),
      destination: parseOne(flags.destination, 'destination'),
    }
  } catch (error) {
    io.stderr.write(`pgshift diff: ${(error as Error).message}\n`)
    return undefined
  }
}

function parseOne(raw: string, role: string): ConnectionUrl {
  try {
    return ConnectionUrl.parse(raw)
  } catch (error) {
    throw new Error(`--${role} is not a usable PostgreSQL URL: ${(error as Error).message}`)
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}
