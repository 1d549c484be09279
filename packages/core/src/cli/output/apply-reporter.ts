import { MultiBar, Presets } from 'cli-progress'
import type { SingleBar } from 'cli-progress'
import type { ApplyEvent } from '../../apply/index.js'
import type { CopyPlan } from '../../copy/index.js'
import { formatBytes, formatCount, formatDuration } from '../../format/format-figures.js'
import { FollowSummary, formatFollowEvent, formatFollowTotals } from './follow-summary.js'

/** How `apply` shows its progress: `json` for machines and CI logs, `text` for people. */
export type LogFormat = 'text' | 'json'

/** Turns apply events into output; `close` stops any live display. */
export interface ApplyReporter {
  readonly onEvent: (event: ApplyEvent) => void
  close(): void
}

/**
 * JSON lines: one object per event with a timestamp, for CI logs and log shippers. Copy
 * progress events are many; they are thinned to one a second per unit.
 */
export function jsonReporter(out: NodeJS.WritableStream): ApplyReporter {
  const lastProgress = new Map<string, number>()
  const summary = new FollowSummary(1000)
  return {
    onEvent: (event) => {
      if (event.type === 'incremental' && (event.event.type === 'batch-applied' || event.event.type === 'lag')) {
        const totals = summary.observe(event.event)
        if (totals !== null) out.write(`${JSON.stringify({ time: new Date().toISOString(), type: 'following', ...totals })}\n`)
        return
      }
      if (event.type === 'copy' && event.event.type === 'unit-progress') {
        const now = Date.now()
        if (now - (lastProgress.get(event.event.unitId) ?? 0) < 1000) return
        lastProgress.set(event.event.unitId, now)
      }
      const body =
        event.type === 'copy'
          ? { type: `copy-${event.event.type}`, ...withoutType(event.event) }
          : event.type === 'incremental'
            ? { type: `incremental-${event.event.type}`, ...withoutType(event.event) }
            : event
      out.write(`${JSON.stringify({ time: new Date().toISOString(), ...body })}\n`)
    },
    close: () => {},
  }
}

/**
 * Text: a line per step and per finished table, the precheck findings with their hints, and on
 * a terminal a live bar of the full copy (bytes, rows, rate, ETA) over the plan's estimate.
 */
export function textReporter(out: NodeJS.WritableStream & { isTTY?: boolean }): ApplyReporter {
  const write = (line: string) => (bars === undefined ? out.write(`${line}\n`) : bars.log(`${line}\n`))
  let bars: MultiBar | undefined
  let total: SingleBar | undefined
  let plan: CopyPlan | undefined
  const unitProgress = new Map<string, { rows: number; bytes: number }>()
  let doneBytes = 0
  let doneRows = 0
  const summary = new FollowSummary(out.isTTY === true ? 2000 : 5000)
  const refresh = () => {
    let bytes = doneBytes
    let rows = doneRows
    for (const progress of unitProgress.values()) {
      bytes += progress.bytes
      rows += progress.rows
    }
    total?.update(Math.min(bytes, total.getTotal()), { rows: formatCount(rows), copied: formatBytes(bytes) })
  }
  return {
    onEvent: (event) => {
      switch (event.type) {
        case 'step-started':
          write(`${event.step}: started`)
          return
        case 'step-done': {
          const figures = Object.entries(event.detail).map(([name, value]) => `${name} ${formatFigure(name, value)}`)
          write(`${event.step}: done in ${formatDuration(event.durationMs)}${figures.length > 0 ? ` (${figures.join(', ')})` : ''}`)
          if (event.step === 'full') {
            bars?.stop()
            bars = undefined
          }
          return
        }
        case 'step-skipped':
          write(`${event.step}: skipped: ${event.reason}`)
          return
        case 'findings':
          for (const finding of event.findings) {
            const measured = finding.measured === undefined ? '' : ` (${finding.measured})`
            write(`  ${finding.severity} ${finding.code}: ${finding.message}${measured}\n    fix: ${finding.hint}`)
          }
          return
        case 'note':
          write(`  note ${event.code}: ${event.message}`)
          return
        case 'statement':
          return
        case 'dry-run':
          out.write(`-- ${event.step}\n${event.sql};\n`)
          return
        case 'copy-plan':
          plan = event.plan
          if (out.isTTY === true) {
            const estimate = plan.units.reduce((sum, unit) => sum + unit.estimatedBytes, 0)
            bars = new MultiBar(
              {
                stream: out,
                format: 'full copy [{bar}] {percentage}% | {copied} | {rows} rows | ETA {eta_formatted}',
                hideCursor: true,
                clearOnComplete: true,
              },
              Presets.shades_classic,
            )
            total = bars.create(Math.max(estimate, 1), 0, { rows: '0', copied: '0 B' })
          }
          return
        case 'copy':
          onCopy(event.event)
          return
        case 'sequence':
          return
        case 'incremental': {
          const totals = summary.observe(event.event)
          const line = totals === null ? formatFollowEvent(event.event) : formatFollowTotals(totals)
          if (line !== null) write(line)
          return
        }
      }
    },
    close: () => bars?.stop(),
  }

  function onCopy(event: Extract<ApplyEvent, { type: 'copy' }>['event']) {
    switch (event.type) {
      case 'unit-progress':
        unitProgress.set(event.unitId, { rows: event.rows, bytes: event.bytes })
        refresh()
        return
      case 'unit-done':
        unitProgress.delete(event.unitId)
        doneRows += event.rows
        doneBytes += event.bytes
        refresh()
        write(
          `  copied ${event.unitId.replace(/^table:/, '')}: ${formatCount(event.rows)} rows, ` +
            `${formatBytes(event.bytes)} in ${formatDuration(event.durationMs)}`,
        )
        return
      case 'retry':
        unitProgress.delete(event.unitId)
        write(
          `  retrying ${event.unitId.replace(/^table:/, '')} in ${formatDuration(event.delayMs)} ` +
            `(${event.kind} failure${event.code === null ? '' : ` ${event.code}`}: ${event.cause})`,
        )
        return
      case 'unit-failed':
        unitProgress.delete(event.unitId)
        refresh()
        write(
          `  failed ${event.unitId.replace(/^table:/, '')} after ${formatCount(event.attempts)} ` +
            `attempt${event.attempts === 1 ? '' : 's'} (${event.kind} failure${event.code === null ? '' : ` ${event.code}`}: ${event.cause})`,
        )
        return
      case 'warning':
        write(`  warning ${event.code}: ${event.message}`)
        return
      case 'unit-started':
      case 'unit-skipped':
        return
    }
  }
}

function formatFigure(name: string, value: number): string {
  return name === 'bytes' ? formatBytes(value) : formatCount(value)
}

function withoutType<T extends { type: string }>(event: T): Omit<T, 'type'> {
  const { type: _type, ...rest } = event
  return rest
}
