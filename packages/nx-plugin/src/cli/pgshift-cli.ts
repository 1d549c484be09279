import { main } from '@pgshift/core'
import type { CliIo } from './console-io.js'

/** Runs one pgshift CLI command (argv as `process.argv`) and resolves to its exit code. */
export type PgshiftCli = (argv: readonly string[], io: CliIo) => Promise<number>

/** The real CLI. Executors take a {@link PgshiftCli} so that tests can see the exact argv. */
export const pgshiftCli: PgshiftCli = (argv, io) => main(argv, io)
