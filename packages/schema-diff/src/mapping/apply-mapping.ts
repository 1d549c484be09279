import { functionId, objectId } from '../model/object-id.js'
import type { ObjectKind } from '../model/object-id.js'
import type {
  ColumnDef,
  ConstraintDef,
  FunctionDef,
  IndexDef,
  ObjectId,
  SchemaModel,
  SequenceDef,
  TableDef,
  TypeDef,
  ViewDef,
} from '../model/schema-model.js'
import type { MappingNote, NameMapping } from './name-mapping.js'
import { NameRenamer } from './name-renamer.js'
import type { SourceRelation } from './name-renamer.js'
import {
  renameConstraintDefinition,
  renameExpression,
  renameFunctionDefinition,
  renameIndexDefinition,
  renamePartitionKey,
  renameTriggerDefinition,
  renameViewDefinition,
} from './rename-sql.js'
import type { RenamedSql } from './rename-sql.js'
import { renameTypeText } from './rename-type-text.js'
import { stringList } from './ast-walk.js'
import { loadSqlParser, parseStatement } from './sql-parser.js'
import type { AstNode } from './sql-parser.js'

/** The model as the destination will hold it, and what the mapping could not carry. */
export interface MappedModel {
  readonly model: SchemaModel
  readonly notes: readonly MappingNote[]
}

/**
 * Applies the spec's renames and column excludes to a source model, so that a plan diffs and
 * shows the destination as it will be. Definitions that use an excluded column are left out
 * with a note; a view or policy that needs one is an error note (it could not be created).
 */
export async function applyMapping(model: SchemaModel, mapping: NameMapping): Promise<MappedModel> {
  const isEmpty =
    Object.keys(mapping.schemas ?? {}).length === 0 && (mapping.tables ?? []).length === 0
  if (isEmpty) return { model, notes: [] }
  await loadSqlParser()
  return new ModelMapper(model, new NameRenamer(model, mapping)).run()
}

class ModelMapper {
  readonly notes: MappingNote[] = []
  readonly #ids = new Map<ObjectId, ObjectId>()

  constructor(
    readonly model: SchemaModel,
    readonly renamer: NameRenamer,
  ) {}

  run(): MappedModel {
    this.collectIds()
    const { model, renamer } = this
    const mapped: SchemaModel = {
      serverVersion: model.serverVersion,
      schemas: sortById(
        model.schemas.map((schema) => {
          const name = renamer.schema(schema.name)
          return { ...schema, id: objectId('schema', null, name), name }
        }),
      ),
      extensions: model.extensions.map((extension) => ({
        ...extension,
        schema: renamer.schema(extension.schema),
      })),
      collations: sortById(model.collations.map((collation) => this.base(collation))),
      types: sortById(model.types.map((type) => this.type(type))),
      sequences: sortById(model.sequences.map((sequence) => this.sequence(sequence))),
      tables: sortById(model.tables.map((table) => this.table(table))),
      views: sortById(model.views.map((view) => this.view(view))),
      functions: sortById(model.functions.map((fn) => this.function(fn))),
    }
    return { model: mapped, notes: this.notes.sort((a, b) => compare(a.id, b.id)) }
  }

  private collectIds(): void {
    const { model, renamer } = this
    const add = (kind: ObjectKind, id: ObjectId, schema: string, name: string) => {
      this.#ids.set(id, objectId(kind, renamer.schema(schema), name))
    }
    for (const schema of model.schemas) {
      this.#ids.set(schema.id, objectId('schema', null, renamer.schema(schema.name)))
    }
    for (const collation of model.collations) add('collation', collation.id, collation.schema, collation.name)
    for (const type of model.types) add('type', type.id, type.schema, type.name)
    for (const sequence of model.sequences) add('sequence', sequence.id, sequence.schema, sequence.name)
    for (const view of model.views) add('view', view.id, view.schema, view.name)
    for (const table of model.tables) {
      const relation = renamer.resolve(table.schema, table.name)
      const name = relation === undefined ? table.name : renamer.relationName(relation)
      add('table', table.id, table.schema, name)
    }
    for (const fn of model.functions) {
      const args = renameTypeText(fn.identityArguments, renamer)
      this.#ids.set(fn.id, functionId(renamer.schema(fn.schema), fn.name, args))
    }
  }

  private id(id: ObjectId): ObjectId {
    return this.#ids.get(id) ?? id
  }

  private base<T extends { id: ObjectId; schema: string; dependsOn: readonly ObjectId[] }>(
    object: T,
  ): T {
    return {
      ...object,
      id: this.id(object.id),
      schema: this.renamer.schema(object.schema),
      dependsOn: [...new Set(object.dependsOn.map((id) => this.id(id)))].sort(compare),
    }
  }

  private typeText(text: string): string
  private typeText(text: string | null): string | null
  private typeText(text: string | null): string | null {
    return text === null ? null : renameTypeText(text, this.renamer)
  }

  private rename(id: ObjectId, what: string, rename: () => RenamedSql): RenamedSql | undefined {
    try {
      return rename()
    } catch (error) {
      this.note('error', id, `cannot rename inside the ${what}: ${(error as Error).message}`)
      return undefined
    }
  }

  private note(severity: MappingNote['severity'], id: ObjectId, message: string): void {
    this.notes.push({ severity, id, message })
  }

  private expression(
    id: ObjectId,
    what: string,
    expression: string | null,
    table: SourceRelation | undefined,
  ): { sql: string | null; excluded: readonly string[] } {
    if (expression === null) return { sql: null, excluded: [] }
    const renamed = this.rename(id, what, () => renameExpression(expression, table, this.renamer))
    return { sql: renamed?.sql ?? expression, excluded: renamed?.excludedColumns ?? [] }
  }

  private type(type: TypeDef): TypeDef {
    const base = this.base(type)
    switch (type.kind) {
      case 'enum':
        return base
      case 'domain': {
        const domain = base as typeof type
        return {
          ...domain,
          baseType: this.typeText(type.baseType),
          collation: this.typeText(type.collation),
          default: this.expression(domain.id, 'domain default', type.default, undefined).sql,
          constraints: type.constraints.map((constraint) => ({
            ...constraint,
            definition:
              this.rename(domain.id, `constraint ${constraint.name}`, () =>
                renameConstraintDefinition(constraint.definition, undefined, this.renamer),
              )?.sql ?? constraint.definition,
          })),
        }
      }
      case 'composite':
        return {
          ...(base as typeof type),
          attributes: type.attributes.map((attribute) => ({
            ...attribute,
            type: this.typeText(attribute.type),
            collation: this.typeText(attribute.collation),
          })),
        }
      case 'range':
        return {
          ...(base as typeof type),
          subtype: this.typeText(type.subtype),
          subtypeOpclass: this.typeText(type.subtypeOpclass),
          collation: this.typeText(type.collation),
          canonical: this.typeText(type.canonical),
          subtypeDiff: this.typeText(type.subtypeDiff),
          multirangeName: type.multirangeName,
        }
    }
  }

  private sequence(sequence: SequenceDef): SequenceDef {
    const base = this.base(sequence)
    if (sequence.ownedBy === null) return base
    const table = this.sourceTable(sequence.ownedBy.table)
    const column = table === undefined ? sequence.ownedBy.column : this.renamer.column(table, sequence.ownedBy.column)
    if (column === null) {
      this.note('warning', base.id, `owned by the excluded column ${sequence.ownedBy.column}: no longer owned`)
      return { ...base, ownedBy: null, isSerial: false }
    }
    return { ...base, ownedBy: { table: this.id(sequence.ownedBy.table), column } }
  }

  private sourceTable(id: ObjectId): SourceRelation | undefined {
    const table = this.model.tables.find((candidate) => candidate.id === id)
    return table === undefined ? undefined : this.renamer.resolve(table.schema, table.name)
  }

  private table(table: TableDef): TableDef {
    const relation = this.renamer.resolve(table.schema, table.name)
    const base = this.base(table)
    const name = relation === undefined ? table.name : this.renamer.relationName(relation)
    const columns: ColumnDef[] = []
    for (const column of table.columns) {
      const columnName = relation === undefined ? column.name : this.renamer.column(relation, column.name)
      if (columnName === null) continue
      const generated = this.expression(base.id, `generated column ${column.name}`, column.generated, relation)
      if (generated.excluded.length > 0) {
        this.note('error', base.id, `generated column ${columnName} needs the excluded column(s) ${generated.excluded.join(', ')}`)
      }
      columns.push({
        ...column,
        name: columnName,
        type: this.typeText(column.type),
        collation: this.typeText(column.collation),
        default: this.expression(base.id, `default of ${column.name}`, column.default, relation).sql,
        generated: generated.sql,
      })
    }
    const keep = <T extends { name: string }>(what: string, item: T, renamed: RenamedSql | undefined) => {
      if (renamed === undefined) return true
      if (renamed.excludedColumns.length === 0) return true
      this.note('warning', base.id, `${what} ${item.name} is left out: it uses the excluded column(s) ${renamed.excludedColumns.join(', ')}`)
      return false
    }
    const constraints: ConstraintDef[] = []
    for (const constraint of table.constraints) {
      const renamed = this.rename(base.id, `constraint ${constraint.name}`, () =>
        renameConstraintDefinition(constraint.definition, relation, this.renamer),
      )
      if (!keep('constraint', constraint, renamed)) continue
      constraints.push({
        ...constraint,
        definition: renamed?.sql ?? constraint.definition,
        columns: constraint.columns.map((column) => (relation === undefined ? column : this.renamer.column(relation, column) ?? column)),
        references: constraint.references === null ? null : this.id(constraint.references),
      })
    }
    const indexes: IndexDef[] = []
    for (const index of table.indexes) {
      const renamed = this.rename(base.id, `index ${index.name}`, () => renameIndexDefinition(index.definition, this.renamer))
      if (!keep('index', index, renamed)) continue
      indexes.push(this.index(index, renamed, relation, base.id))
    }
    const droppedIndexes = new Set(table.indexes.map((index) => index.name))
    for (const index of indexes) droppedIndexes.delete(index.name)
    let replicaIdentity = table.replicaIdentity
    if (typeof replicaIdentity === 'object' && droppedIndexes.has(replicaIdentity.index)) {
      this.note('warning', base.id, `replica identity index ${replicaIdentity.index} is left out: replica identity becomes default`)
      replicaIdentity = 'default'
    }
    const triggers = table.triggers.flatMap((trigger) => {
      const renamed = this.rename(base.id, `trigger ${trigger.name}`, () => renameTriggerDefinition(trigger.definition, this.renamer))
      if (!keep('trigger', trigger, renamed)) return []
      return [{ ...trigger, definition: renamed?.sql ?? trigger.definition, function: this.id(trigger.function) }]
    })
    const policies = table.policies.flatMap((policy) => {
      const using = this.expression(base.id, `policy ${policy.name}`, policy.using, relation)
      const withCheck = this.expression(base.id, `policy ${policy.name}`, policy.withCheck, relation)
      const excluded = [...using.excluded, ...withCheck.excluded]
      if (excluded.length > 0) {
        this.note('error', base.id, `policy ${policy.name} uses the excluded column(s) ${[...new Set(excluded)].join(', ')}: exclude the policy's table or keep the column`)
        return []
      }
      return [{ ...policy, using: using.sql, withCheck: withCheck.sql }]
    })
    const partitionKey =
      table.partitionKey === null
        ? null
        : (this.rename(base.id, 'partition key', () => renamePartitionKey(table.partitionKey as string, relation, this.renamer))?.sql ?? table.partitionKey)
    return {
      ...base,
      name,
      columns,
      partitionKey,
      partitionOf: table.partitionOf === null ? null : { ...table.partitionOf, parent: this.id(table.partitionOf.parent) },
      inherits: table.inherits.map((id) => this.id(id)),
      replicaIdentity,
      constraints,
      indexes,
      triggers,
      policies,
    }
  }

  private index(index: IndexDef, renamed: RenamedSql | undefined, relation: SourceRelation | undefined, id: ObjectId): IndexDef {
    return {
      ...index,
      definition: renamed?.sql ?? index.definition,
      columns: index.columns.map((column) =>
        column === null || relation === undefined ? column : (this.renamer.column(relation, column) ?? column),
      ),
      predicate: this.expression(id, `predicate of index ${index.name}`, index.predicate, relation).sql,
      parentIndex: this.typeText(index.parentIndex),
    }
  }

  private view(view: ViewDef): ViewDef {
    const base = this.base(view)
    const renamed = this.rename(base.id, 'view query', () => renameViewDefinition(view.definition, this.renamer))
    if (renamed !== undefined && renamed.excludedColumns.length > 0) {
      this.note('error', base.id, `the view uses the excluded column(s) ${renamed.excludedColumns.join(', ')}: exclude the view too, or keep the column`)
    }
    return {
      ...base,
      definition: renamed?.sql ?? view.definition,
      columns: view.columns.map((column) => ({ ...column, type: this.typeText(column.type) })),
      triggers: view.triggers.flatMap((trigger) => {
        const renamedTrigger = this.rename(base.id, `trigger ${trigger.name}`, () => renameTriggerDefinition(trigger.definition, this.renamer))
        return [{ ...trigger, definition: renamedTrigger?.sql ?? trigger.definition, function: this.id(trigger.function) }]
      }),
      indexes: view.indexes.map((index) => {
        const renamedIndex = this.rename(base.id, `index ${index.name}`, () => renameIndexDefinition(index.definition, this.renamer))
        return this.index(index, renamedIndex, undefined, base.id)
      }),
    }
  }

  private function(fn: FunctionDef): FunctionDef {
    const base = this.base(fn)
    const renamed = this.rename(base.id, 'function signature', () => renameFunctionDefinition(fn.definition, this.renamer))
    const renamedSchemas = this.model.schemas.map((schema) => schema.name).filter((name) => this.renamer.schema(name) !== name)
    const body = functionBody(fn)
    const mentioned = renamedSchemas.filter((name) => new RegExp(`\\b${escapeRegExp(name)}\\.`).test(body))
    if (mentioned.length > 0) {
      this.note('warning', base.id, `the function body is copied as written; it mentions the renamed schema(s) ${mentioned.join(', ')}`)
    }
    return {
      ...base,
      identityArguments: renameTypeText(fn.identityArguments, this.renamer),
      returns: this.typeText(fn.returns),
      definition: renamed?.sql ?? fn.definition,
    }
  }
}

// The body of a function as written (its AS '...' string): the part no rename can rewrite.
function functionBody(fn: FunctionDef): string {
  if (fn.kind === 'aggregate') return ''
  try {
    const statement = parseStatement(fn.definition)['CreateFunctionStmt'] as { options?: AstNode[] }
    const as = (statement.options ?? [])
      .map((option) => option['DefElem'] as { defname?: string; arg?: unknown } | undefined)
      .find((option) => option?.defname === 'as')
    return stringList((as?.arg as { List?: { items?: unknown } } | undefined)?.List?.items).join('\n')
  } catch {
    return fn.definition
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function sortById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compare(a.id, b.id))
}
