export interface MigrateValidateExecutorOptions {
  migrationsDir?: string
  spec?: string
  format?: 'text' | 'json' | 'markdown'
  maxKeys?: number
  mode?: 'count' | 'checksum'
  sequences?: boolean
}
