export interface MigrateCutoverExecutorOptions {
  migrationsDir?: string
  spec?: string
  format?: 'text' | 'json'
  timeout?: string | number
  revokeWrites?: string
  sequenceGap?: number
}
