export interface MigrateApplyExecutorOptions {
  migrationsDir?: string
  spec?: string
  plan?: string
  dryRun?: boolean
  yes?: boolean
  until?: 'caught-up'
  ignoreWarnings?: boolean
  logFormat?: 'text' | 'json'
  metricsPort?: number
  metricsHost?: string
}
