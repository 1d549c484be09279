export interface MigrateLintExecutorOptions {
  migrationsDir: string
  spec?: string
  format?: 'text' | 'json'
  allowMissingEnv?: boolean
}
