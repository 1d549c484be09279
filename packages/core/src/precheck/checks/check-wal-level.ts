import { isIncremental } from '../precheck-context.js'
import type { Precheck } from '../precheck-context.js'
import { queryRows } from '../query-rows.js'

/** Incremental migration decodes the source's WAL, which needs `wal_level = logical`. */
export const checkWalLevel: Precheck = {
  name: 'wal_level',
  async run(context) {
    if (!isIncremental(context)) return []
    const [row] = await queryRows<{ level: string }>(
      context.source,
      "SELECT pg_catalog.current_setting('wal_level') AS level",
    )
    if (row === undefined || row.level === 'logical') return []
    return [
      {
        code: 'WAL_LEVEL',
        severity: 'error',
        message:
          `the source has wal_level = ${row.level}: incremental migration needs logical ` +
          'decoding, which needs wal_level = logical',
        hint:
          "Run ALTER SYSTEM SET wal_level = 'logical' on the source and restart it (on managed " +
          'services: enable logical replication in the parameter group), or remove incremental ' +
          'from types.',
        object: 'source',
      },
    ]
  },
}
