import type { PoolClient } from 'pg'
import type { Precheck } from '../precheck-context.js'
import type { PrecheckFinding } from '../precheck-finding.js'
import { errorMessage } from '../query-rows.js'
import type { SelectedTable } from '../../selection/index.js'
import { whereFilterColumns } from '../where-filter-columns.js'

/**
 * Row filters that name columns the table does not have, or that PostgreSQL refuses (a type
 * mismatch, an unknown function): the spec check parses filters offline, only the source
 * can type-check them. EXPLAIN plans the query without running it.
 */
export const checkWhereFilters: Precheck = {
  name: 'where filters',
  async run(context) {
    const findings: PrecheckFinding[] = []
    const toExplain: { selected: SelectedTable; whereSql: string }[] = []
    for (const selected of context.selection.tables) {
      const where = selected.spec?.where
      const whereSql = selected.spec?.whereSql
      if (where === null || where === undefined || whereSql === null || whereSql === undefined) {
        continue
      }
      const columns = new Set(selected.table.columns.map((column) => column.name))
      const unknown = whereFilterColumns(where).filter((column) => !columns.has(column))
      if (unknown.length === 0) {
        toExplain.push({ selected, whereSql })
        continue
      }
      findings.push({
        code: 'WHERE_FILTER_COLUMN',
        severity: 'error',
        message:
          `the where filter of ${selected.sourceName} reads ${plural(unknown.length, 'column')} ` +
          `${unknown.join(', ')}, which the table does not have`,
        hint: `Use columns of ${selected.sourceName}: ${[...columns].join(', ')}.`,
        object: selected.sourceName,
      })
    }
    if (toExplain.length === 0) return findings
    const client = await context.source.pool.connect()
    try {
      await client.query('BEGIN READ ONLY')
      await client.query("SET LOCAL statement_timeout = '10s'")
      for (const { selected, whereSql } of toExplain) {
        const problem = await explainProblem(client, selected.sourceName, whereSql)
        if (problem === undefined) continue
        findings.push({
          code: 'WHERE_FILTER_INVALID',
          severity: 'error',
          message:
            `the where filter of ${selected.sourceName} is refused by the source: ${problem}`,
          hint:
            `Fix the filter (${whereSql}) so that it is a valid boolean over ` +
            `${selected.sourceName}.`,
          object: selected.sourceName,
        })
      }
    } finally {
      await client.query('ROLLBACK').catch(() => {})
      client.release()
    }
    return findings
  },
}

async function explainProblem(
  client: PoolClient,
  table: string,
  whereSql: string,
): Promise<string | undefined> {
  await client.query('SAVEPOINT filter')
  try {
    await client.query(`EXPLAIN SELECT 1 FROM ${table} WHERE ${whereSql}`)
    return undefined
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT filter')
    return errorMessage(error)
  }
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`
}
