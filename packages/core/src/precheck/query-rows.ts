import type { Database } from '../pg/index.js'

/** Runs one read-only catalog query and returns its rows. */
export async function queryRows<T extends object>(
  database: Database,
  text: string,
  values: readonly unknown[] = [],
): Promise<T[]> {
  const result = await database.pool.query<T>(text, [...values])
  return result.rows
}

/** The message of a driver error, without a stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
