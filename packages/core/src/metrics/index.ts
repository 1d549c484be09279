export { ApplyMetrics } from './apply-metrics.js'
export type { ApplyMetricsOptions } from './apply-metrics.js'
export { startMetricsServer } from './metrics-server.js'
export type { MetricsServer, MetricsServerOptions } from './metrics-server.js'
