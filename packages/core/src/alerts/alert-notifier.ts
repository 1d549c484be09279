import type { ApplyEvent, ApplyStep } from '../apply/index.js'
import type { CopyEvent } from '../copy/index.js'
import type { AlertKind, AlertPayload } from './alert-payload.js'
import { LagEpisode } from './lag-episode.js'
import type { AlertDelivery } from './webhook-delivery.js'

/** What {@link AlertNotifier} alerts on and where the alerts go. */
export interface AlertNotifierOptions {
  /** The spec's `metadata.name`. */
  readonly migration: string
  /** `options.alerts.maxLagSeconds`: lag above it alerts; `null` for no lag alerts. */
  readonly maxLagSeconds: number | null
  readonly delivery: AlertDelivery
  /** Masks the spec's secrets in error texts (`redactSecrets` with `specSecrets(spec)`). */
  readonly redact?: (text: string) => string
  /** The clock, for tests. */
  readonly now?: () => Date
}

// error texts can be long (a drift list, a statement); a chat message needs the start of it
const MAX_TEXT = 2000

/**
 * Turns apply's events into alerts: lag above `maxLagSeconds` (once per episode, and
 * `lag-resolved` when it falls back), a copy unit that failed for good, and, through
 * {@link AlertNotifier.notifyFailure}, the error apply ended with. Only watches and queues:
 * `observe` returns at once and never throws, whatever the webhook does.
 */
export class AlertNotifier {
  readonly #migration: string
  readonly #delivery: AlertDelivery
  readonly #redact: (text: string) => string
  readonly #now: () => Date
  readonly #lag: LagEpisode | undefined
  #step: ApplyStep | undefined

  constructor(options: AlertNotifierOptions) {
    this.#migration = options.migration
    this.#delivery = options.delivery
    this.#redact = options.redact ?? ((text) => text)
    this.#now = options.now ?? (() => new Date())
    this.#lag = options.maxLagSeconds === null ? undefined : new LagEpisode(options.maxLagSeconds)
  }

  /** Watches one apply event; never throws. */
  observe(event: ApplyEvent): void {
    try {
      switch (event.type) {
        case 'step-started':
          this.#step = event.step
          return
        case 'copy':
          this.#observeCopy(event.event)
          return
        case 'incremental': {
          const incremental = event.event
          if (incremental.type === 'lag') {
            this.#observeLag(incremental.lagSeconds, {
              lagBytes: incremental.lagBytes,
              appliedLsn: incremental.appliedLsn,
              sourceLsn: incremental.sourceLsn,
            })
          } else if (incremental.type === 'caught-up') {
            this.#observeLag(incremental.lagSeconds, { lagBytes: incremental.lagBytes })
          }
          return
        }
        default:
      }
    } catch {
      // alerting must never stop the migration
    }
  }

  /**
   * Alerts that apply ended with `error`, in the step it was in. `details` adds figures
   * (the exit code); the error's `code` (SQLSTATE or pgshift's) is included when it has one.
   */
  notifyFailure(error: unknown, details: Readonly<Record<string, string | number | null>> = {}): void {
    try {
      const message = this.#scrub(error instanceof Error ? error.message : String(error))
      const code = (error as { code?: unknown } | null)?.code
      const step = this.#step ?? null
      this.#send(this.#now(), 'failure', `apply failed${step === null ? '' : ` in ${step}`}: ${firstLine(message)}`, {
        phase: step,
        error: message,
        code: typeof code === 'string' ? code : null,
        ...details,
      })
    } catch {
      // alerting must never change how apply ends
    }
  }

  /** Gives queued alerts up to `graceMs` to be delivered; call once apply has ended. */
  close(graceMs: number): Promise<void> {
    return this.#delivery.close(graceMs)
  }

  #observeCopy(event: CopyEvent): void {
    if (event.type !== 'unit-failed') return
    const unit = event.unitId.replace(/^table:/, '')
    const cause = this.#scrub(event.cause)
    this.#send(this.#now(), 'failure', `copying ${unit} failed after ${event.attempts} attempt${event.attempts === 1 ? '' : 's'}: ${firstLine(cause)}`, {
      phase: 'full',
      unit,
      table: event.tableId.replace(/^table:/, ''),
      attempts: event.attempts,
      failure: event.kind,
      error: cause,
      code: event.code,
    })
  }

  #observeLag(lagSeconds: number, figures: Readonly<Record<string, string | number>>): void {
    const episode = this.#lag
    if (episode === undefined) return
    const at = this.#now()
    const change = episode.update(lagSeconds, at.getTime())
    if (change === null) return
    const limit = episode.maxLagSeconds
    const details = { lagSeconds, maxLagSeconds: limit, ...figures }
    if (change.change === 'started') {
      this.#send(at, 'lag', `replication lag ${formatSeconds(lagSeconds)} is above the ${formatSeconds(limit)} limit`, details)
    } else {
      this.#send(
        at,
        'lag-resolved',
        `replication lag back to ${formatSeconds(lagSeconds)} (limit ${formatSeconds(limit)}) after ${formatSeconds(change.durationMs / 1000)} above it`,
        { ...details, episodeSeconds: Math.round(change.durationMs / 1000) },
      )
    }
  }

  #send(at: Date, kind: AlertKind, summary: string, details: Readonly<Record<string, string | number | null>>): void {
    const payload: AlertPayload = {
      migration: this.#migration,
      kind,
      timestamp: at.toISOString(),
      text: this.#redact(`pgshift ${this.#migration}: ${summary}`),
      details: Object.fromEntries(
        Object.entries(details).map(([key, value]) => [key, typeof value === 'string' ? this.#redact(value) : value]),
      ),
    }
    this.#delivery.send(payload)
  }

  // masked before clipping: a secret cut in half would no longer be recognised
  #scrub(text: string): string {
    const masked = this.#redact(text)
    return masked.length > MAX_TEXT ? `${masked.slice(0, MAX_TEXT)}...` : masked
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? ''
}

function formatSeconds(seconds: number): string {
  return `${Math.round(seconds * 10) / 10} s`
}
