export interface MigrateStatusExecutorOptions {
  migrationsDir?: string
  spec?: string
  format?: 'text' | 'json'
  watch?: boolean | number
}
