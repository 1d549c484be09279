import { AlertNotifier, WebhookDelivery } from '../../alerts/index.js'
import type { ApplyEvent } from '../../apply/index.js'
import { ApplyMetrics, startMetricsServer } from '../../metrics/index.js'
import type { MetricsServer } from '../../metrics/index.js'
import { redactSecrets, specSecrets } from '../../spec/index.js'
import type { MigrationSpec } from '../../spec/index.js'
import type { CliIo } from '../cli-io.js'
import type { LogFormat } from './apply-reporter.js'

/** What `apply` watches besides its progress output. */
export interface ApplyObserversOptions {
  readonly spec: MigrationSpec
  readonly io: CliIo
  readonly logFormat: LogFormat
  /** `--metrics-port`: serve metrics on it (0: any free port); none when undefined. */
  readonly metricsPort?: number
  /** `--metrics-host`; 127.0.0.1 by default. */
  readonly metricsHost?: string
  /** A dry run changes nothing, so it alerts on nothing either. */
  readonly alerts: boolean
}

/** The metrics endpoint and the alert notifier of one `apply`, fed the same events as its output. */
export interface ApplyObservers {
  /** Never throws. */
  readonly onEvent: (event: ApplyEvent) => void
  /** Apply ended with `error` (exiting with `exitCode`): counted, and alerted. */
  failed(error: unknown, exitCode: number): void
  /** Gives pending alerts a short grace time, then stops serving metrics. */
  close(): Promise<void>
}

/** How long pending alerts may still take once apply has ended. */
export const ALERT_GRACE_MS = 5000

/**
 * Starts what the flags and the spec ask for: the `/metrics` endpoint (its address printed
 * as a line of the progress output, so scripts and tests can find a port chosen with 0) and
 * the webhook alerts of `options.alerts` (the webhook printed by its origin only).
 * @throws when the metrics port cannot be bound
 */
export async function startApplyObservers(options: ApplyObserversOptions): Promise<ApplyObservers> {
  const { spec, io } = options
  const migration = spec.metadata.name
  const log = (type: string, text: string, fields: Record<string, unknown>) =>
    io.stdout.write(
      options.logFormat === 'json' ? `${JSON.stringify({ time: new Date().toISOString(), type, ...fields })}\n` : `${text}\n`,
    )

  let metrics: ApplyMetrics | undefined
  let server: MetricsServer | undefined
  if (options.metricsPort !== undefined) {
    metrics = new ApplyMetrics({ migration })
    server = await startMetricsServer({ registry: metrics.registry, port: options.metricsPort, host: options.metricsHost })
    log('metrics', `metrics: serving ${server.url}`, { url: server.url, host: server.host, port: server.port })
  }

  const { webhook, maxLagSeconds } = spec.options.alerts
  let notifier: AlertNotifier | undefined
  if (options.alerts && webhook !== null) {
    const secrets = specSecrets(spec)
    const delivery = new WebhookDelivery({
      webhook,
      onProblem: (message) => io.stderr.write(`pgshift apply: warning: ${redactSecrets(message, secrets)}\n`),
    })
    notifier = new AlertNotifier({ migration, maxLagSeconds, delivery, redact: (text) => redactSecrets(text, secrets) })
    const lag = maxLagSeconds === null ? '' : `lag above ${maxLagSeconds} s, `
    log('alerts', `alerts: posting ${lag}failures to ${webhook.redacted}`, { webhook: webhook.redacted, maxLagSeconds })
  }

  return {
    onEvent: (event) => {
      metrics?.observe(event)
      notifier?.observe(event)
    },
    failed: (error, exitCode) => {
      metrics?.recordFailure()
      notifier?.notifyFailure(error, { exitCode })
    },
    close: async () => {
      await notifier?.close(ALERT_GRACE_MS)
      await server?.close()
    },
  }
}
