/**
 * What an alert is about: replication lag went above `options.alerts.maxLagSeconds`, lag fell
 * back under it, or something failed for good (a copy unit, a phase, the whole apply).
 */
export type AlertKind = 'lag' | 'lag-resolved' | 'failure'

/**
 * The JSON body POSTed to `options.alerts.webhook`. Plain data with every secret of the spec
 * masked; `text` is a one-line summary, which chat webhooks (Slack, Mattermost) display as is.
 */
export interface AlertPayload {
  /** The spec's `metadata.name`. */
  readonly migration: string
  readonly kind: AlertKind
  /** When the condition was seen, ISO 8601 in UTC. */
  readonly timestamp: string
  readonly text: string
  /** The figures behind the alert; which keys depend on `kind` (README: Alerts). */
  readonly details: Readonly<Record<string, string | number | null>>
}
