export interface MigrateValidateExecutorOptions {
  migrationsDir?: string
  spec?: string
  format?: 'text' | 'json' | 'markdown'
}
