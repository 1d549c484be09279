export interface MigratePlanExecutorOptions {
  migrationsDir?: string
  spec?: string
  out?: string
  format?: 'text' | 'json' | 'markdown'
}
