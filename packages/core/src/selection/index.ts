export { resolveSelection } from './resolve-selection.js'
export type { MissingObject, ResolvedSelection, SelectedTable } from './resolve-selection.js'
export { specNameMapping } from './spec-name-mapping.js'
export { partitionRoot } from './partition-root.js'
