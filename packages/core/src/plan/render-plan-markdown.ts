import { formatBytes, formatCount } from '../format/format-figures.js'
import type { Plan, PlanOperation } from './plan.js'

/**
 * plan.md: what a reviewer reads in the pull request. Short at the top (endpoints, a summary
 * table, hazards, precheck findings), complete below (every DDL statement, every table's copy
 * step), long parts folded in `<details>`. Stable: the same plan gives the same bytes.
 */
export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = []
  const { summary } = plan
  out.push(`# pgshift plan: ${plan.migration.name}`, '')
  if (plan.migration.description !== null) out.push(plan.migration.description, '')
  out.push(
    '| | |',
    '|---|---|',
    `| Source | \`${plan.source.url}\` (PostgreSQL ${serverVersion(plan.source.serverVersion)}) |`,
    `| Destination | \`${plan.destination.url}\` (PostgreSQL ${serverVersion(plan.destination.serverVersion)}) |`,
    `| Migration types | ${plan.migration.types.join(', ')} |`,
    `| Conflicts | ${plan.migration.conflicts} |`,
    `| Fingerprint | \`${plan.fingerprint.digest.slice(0, 16)}\` |`,
    '',
    '## Summary',
    '',
    '| Tables | Estimated rows | Estimated size | Pre-data statements | Post-data statements | Hazards | Precheck errors | Precheck warnings |',
    '|---:|---:|---:|---:|---:|---|---:|---:|',
    `| ${summary.tables} | ${summary.estimatedRows === null ? 'unknown' : formatCount(summary.estimatedRows)} | ` +
      `${formatBytes(summary.estimatedBytes)} | ${summary.preDataStatements} | ${summary.postDataStatements} | ` +
      `${hazardSummary(summary.hazards)} | ${summary.errors} | ${summary.warnings} |`,
    '',
  )
  const hazardous = [...plan.schema.preData, ...plan.schema.postData].filter((operation) => operation.hazards.length > 0)
  if (hazardous.length > 0) {
    out.push('### Hazards', '')
    for (const operation of hazardous) {
      for (const hazard of operation.hazards) {
        out.push(`- **${hazard.code}** \`${operation.kind}\` ${code(describeId(operation.id))}: ${hazard.message}`)
      }
    }
    out.push('')
  }

  out.push('## Prechecks', '')
  if (plan.prechecks.length === 0) out.push('All prechecks passed.', '')
  for (const finding of plan.prechecks) {
    const object = finding.object === undefined ? '' : ` (${code(finding.object)})`
    out.push(`- **${finding.severity}** \`${finding.code}\`${object}: ${finding.message}  `, `  Fix: ${finding.hint}`)
  }
  if (plan.prechecks.length > 0) out.push('')

  if (plan.fidelity.length > 0 || plan.notes.length > 0) {
    out.push('## What is not carried as the source has it', '')
    for (const note of [...plan.fidelity, ...plan.notes]) out.push(`- \`${note.code}\`: ${note.message}`)
    out.push('')
  }

  if (plan.migration.types.includes('schema')) {
    const lockAware = plan.schema.lockAware
      ? ' The destination already holds rows in tables this plan alters: indexes are built ' +
        'CONCURRENTLY, constraints are added NOT VALID then validated, each statement has a lock_timeout.'
      : ''
    out.push('## Schema', '', `Pre-data runs before the copy, post-data after it.${lockAware}`, '')
    section(out, 'Pre-data', plan.schema.preData)
    section(out, 'Post-data', plan.schema.postData)
  }

  if (plan.copy !== null) {
    out.push(
      '## Full copy',
      '',
      `${plan.copy.tables.length} tables, ${plan.copy.parallelTables} in parallel; tables larger than ` +
        `${formatBytes(plan.copy.splitLargerThanBytes)} are split into ranges.`,
      '',
    )
    if (plan.copy.tables.length > 0) {
      out.push('| Source | Destination | Filter | Estimated rows | Estimated size | Chunks |', '|---|---|---|---:|---:|---:|')
      for (const table of plan.copy.tables) {
        const rows = table.estimatedRows === null ? 'unknown' : formatCount(table.estimatedRows)
        const chunks = table.split === 'none' ? '1' : `${table.chunks} (${table.split === 'key' ? 'key ranges' : 'page ranges'})`
        out.push(
          `| ${code(table.source)} | ${code(table.destination)} | ${table.where === null ? '' : code(table.where)} | ` +
            `${rows} | ${formatBytes(table.estimatedBytes)} | ${chunks} |`,
        )
      }
      out.push('', '<details><summary>Copy statements</summary>', '', '```sql')
      plan.copy.tables.forEach((table, index) => {
        if (index > 0) out.push('')
        out.push(`${table.copyOut};`, '-- into', `${table.copyIn};`)
      })
      out.push('```', '', '</details>', '')
    }
  }

  if (plan.sequences.length > 0) {
    const count = plan.sequences.length
    out.push('## Sequences', '', `${count} sequence${count === 1 ? ' is' : 's are'} set to the source's values after the copy.`, '')
    out.push('<details><summary>Sequences</summary>', '')
    for (const sequence of plan.sequences) out.push(`- ${code(sequence.label)}`)
    out.push('', '</details>', '')
  }

  if (plan.incremental !== null) {
    const { incremental } = plan
    out.push(
      '## Incremental',
      '',
      `- Publication \`${incremental.publication}\` and logical replication slot \`${incremental.slot}\` on the source.`,
      `- DDL capture: ${incremental.ddlCapture ? 'on (event trigger on the source)' : 'off'}.`,
    )
    if (incremental.replicaIdentityFull.length > 0) {
      out.push(`- Replica identity set to FULL (restored at cutover): ${incremental.replicaIdentityFull.map(code).join(', ')}.`)
    }
    out.push('')
  }

  out.push('## Cutover', '')
  plan.cutover.forEach((step, index) => out.push(`${index + 1}. ${step}`))
  out.push('')
  return `${out.join('\n')}`
}

function section(out: string[], title: string, operations: readonly PlanOperation[]): void {
  const statements = operations.reduce((sum, operation) => sum + operation.sql.length, 0)
  out.push(`### ${title}: ${statements} statement${statements === 1 ? '' : 's'}`, '')
  if (statements === 0) return
  out.push(`<details><summary>${title} DDL</summary>`, '', '```sql')
  for (const operation of operations) {
    if (operation.note !== null) out.push(`-- ${operation.note.replace(/\n/g, ' ')}`)
    for (const sql of operation.sql) out.push(`${sql};`)
  }
  out.push('```', '', '</details>', '')
}

function hazardSummary(hazards: Readonly<Record<string, number>>): string {
  const present = Object.entries(hazards).filter(([, count]) => count > 0)
  return present.length === 0 ? 'none' : present.map(([hazard, count]) => `${count} ${hazard}`).join(', ')
}

function serverVersion(number: number): string {
  return number >= 100000 ? `${Math.floor(number / 10000)}.${number % 10000}` : String(number)
}

function describeId(id: string): string {
  return id.slice(id.indexOf(':') + 1)
}

// a backtick inside the text would end the code span early: use a longer fence then
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`'
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`
}
