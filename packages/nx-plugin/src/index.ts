export { createNodes, createNodesV2 } from './plugins/migrations-plugin.js'
export type { PgshiftPluginOptions } from './plugins/migrations-plugin.js'
