export type * from './migration-status.js'
export { readMigrationStatus } from './read-migration-status.js'
export { renderStatusJson, renderStatusText } from './render-status.js'
