import { Command, Option } from 'commander'
import {
  findSpecFiles,
  lintSpecFiles,
  renderGithubAnnotations,
  renderLintJson,
  renderLintText,
  SpecFilesNotFoundError,
} from '../../lint/index.js'
import type { CliIo } from '../cli-io.js'
import { ExitCode } from '../exit-codes.js'
import type { CommandOutcome } from './command-outcome.js'

interface LintFlags {
  readonly format: 'text' | 'json'
  readonly allowMissingEnv?: boolean
}

/** `pgshift lint [specs...]`: offline validation of spec files. */
export function lintCommand(io: CliIo, outcome: CommandOutcome): Command {
  return new Command('lint')
    .description(
      'validate spec files offline: YAML syntax, the spec schema, ${VAR} references, ' +
        'names, renames and where filters',
    )
    .argument(
      '[specs...]',
      'spec files, folders of specs, or quoted globs (default: every migrations/*.yaml below ' +
        'the current folder)',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .option(
      '--allow-missing-env',
      'accept ${VAR} references to unset variables (for CI jobs without database secrets)',
    )
    .addHelpText(
      'after',
      '\nExit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.\n' +
        'Each problem is printed as file:line:col: message. When GITHUB_ACTIONS is set, ' +
        'GitHub annotation lines are printed as well.',
    )
    .action(async (specs: string[], flags: LintFlags) => {
      let files: string[]
      try {
        files = await findSpecFiles(specs, io.cwd)
      } catch (error) {
        if (!(error instanceof SpecFilesNotFoundError)) throw error
        io.stderr.write(`pgshift lint: ${error.message}\n`)
        outcome.exitCode = ExitCode.usage
        return
      }
      if (files.length === 0) {
        io.stderr.write('pgshift lint: no spec files found (looked for migrations/*.yaml)\n')
        outcome.exitCode = ExitCode.usage
        return
      }
      const result = await lintSpecFiles(files, {
        env: io.env,
        allowMissingEnv: flags.allowMissingEnv === true,
        cwd: io.cwd,
      })
      io.stdout.write(flags.format === 'json' ? renderLintJson(result) : renderLintText(result))
      if (io.env.GITHUB_ACTIONS) io.stdout.write(renderGithubAnnotations(result))
      outcome.exitCode = result.errorCount > 0 ? ExitCode.problems : ExitCode.ok
    })
}
