export { applyMapping } from './apply-mapping.js'
export type { MappedModel } from './apply-mapping.js'
export type { MappingNote, NameMapping, TableMapping } from './name-mapping.js'
export { sameDefinition } from './same-definition.js'
export type { DefinitionKind } from './same-definition.js'
export { loadSqlParser } from './sql-parser.js'
export { NameRenamer } from './name-renamer.js'
export type { SourceRelation } from './name-renamer.js'
export {
  printRenamedTree,
  RenameError,
  renameConstraintTree,
  renameIndexTree,
  renameRangeVarTree,
  renameTableTree,
} from './rename-sql.js'
export type { TreeRenaming } from './rename-sql.js'
