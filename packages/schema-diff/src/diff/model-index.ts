import { objectId } from '../model/object-id.js'
import type {
  CollationDef,
  ExtensionDef,
  FunctionDef,
  ObjectId,
  SchemaDef,
  SchemaModel,
  SequenceDef,
  TableDef,
  TypeDef,
  ViewDef,
} from '../model/schema-model.js'

/** Any top-level object of a model. */
export type ModelObject =
  | SchemaDef
  | ExtensionDef
  | CollationDef
  | TypeDef
  | SequenceDef
  | TableDef
  | ViewDef
  | FunctionDef

/**
 * One side of the diff, looked up by id, with the dependency edges ordering relies on. Input
 * arrays are sorted here by id, so that the diff never depends on the order it was handed.
 */
export class ModelIndex {
  readonly model: SchemaModel
  readonly schemas: ReadonlyMap<ObjectId, SchemaDef>
  readonly extensions: ReadonlyMap<ObjectId, ExtensionDef>
  readonly collations: ReadonlyMap<ObjectId, CollationDef>
  readonly types: ReadonlyMap<ObjectId, TypeDef>
  readonly sequences: ReadonlyMap<ObjectId, SequenceDef>
  readonly tables: ReadonlyMap<ObjectId, TableDef>
  readonly views: ReadonlyMap<ObjectId, ViewDef>
  readonly functions: ReadonlyMap<ObjectId, FunctionDef>
  readonly #dependencies = new Map<ObjectId, readonly ObjectId[]>()
  readonly #dependents = new Map<ObjectId, ObjectId[]>()

  constructor(model: SchemaModel) {
    this.model = model
    this.schemas = byId(model.schemas)
    this.extensions = byId(model.extensions)
    this.collations = byId(model.collations)
    this.types = byId(model.types)
    this.sequences = byId(model.sequences)
    this.tables = byId(model.tables)
    this.views = byId(model.views)
    this.functions = byId(model.functions)
    for (const object of this.allObjects()) {
      const dependencies = structuralDependencies(object)
      this.#dependencies.set(object.id, dependencies)
      for (const dependency of dependencies) {
        const list = this.#dependents.get(dependency) ?? []
        list.push(object.id)
        this.#dependents.set(dependency, list)
      }
    }
    for (const list of this.#dependents.values()) list.sort(compareIds)
  }

  /** Every object, in id order within each kind. */
  allObjects(): ModelObject[] {
    return [
      ...this.schemas.values(),
      ...this.extensions.values(),
      ...this.collations.values(),
      ...this.types.values(),
      ...this.sequences.values(),
      ...this.tables.values(),
      ...this.views.values(),
      ...this.functions.values(),
    ]
  }

  has(id: ObjectId): boolean {
    return this.#dependencies.has(id)
  }

  /**
   * What the object needs to exist before it can be created: its dependsOn and its schema,
   * without the tables a foreign key merely references (foreign keys are added once all tables
   * exist, which is what lets two tables reference each other) and without the table that
   * owns a sequence (OWNED BY is set after the table is created).
   */
  dependenciesOf(id: ObjectId): readonly ObjectId[] {
    return this.#dependencies.get(id) ?? []
  }

  /** The objects whose dependenciesOf include `id`. */
  dependentsOf(id: ObjectId): readonly ObjectId[] {
    return this.#dependents.get(id) ?? []
  }

  /** Objects depending on `id`, directly or through others, in id order. */
  transitiveDependentsOf(id: ObjectId): ObjectId[] {
    const seen = new Set<ObjectId>()
    const queue = [id]
    while (queue.length > 0) {
      const next = queue.shift()!
      for (const dependent of this.dependentsOf(next)) {
        if (dependent === id || seen.has(dependent)) continue
        seen.add(dependent)
        queue.push(dependent)
      }
    }
    return [...seen].sort(compareIds)
  }
}

/** Ids compare by code unit, never by locale, so that every machine orders alike. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function byId<T extends { readonly id: ObjectId }>(items: readonly T[]): ReadonlyMap<ObjectId, T> {
  return new Map([...items].sort((a, b) => compareIds(a.id, b.id)).map((item) => [item.id, item]))
}

function structuralDependencies(object: ModelObject): readonly ObjectId[] {
  if (!('dependsOn' in object)) {
    // Schemas depend on nothing; an extension on the schema it is created in.
    return 'version' in object ? [objectId('schema', null, object.schema)] : []
  }
  const result = new Set<ObjectId>(object.dependsOn)
  result.add(objectId('schema', null, object.schema))
  if ('columns' in object && 'constraints' in object) {
    const table = object
    const columnTypes = new Set(table.columns.map((column) => column.type.replace(/(\[\])+$/, '')))
    for (const constraint of table.constraints) {
      const referenced = constraint.references
      if (referenced === null || !referenced.startsWith('table:')) continue
      if (referenced === table.partitionOf?.parent || table.inherits.includes(referenced)) continue
      if (columnTypes.has(referenced.slice('table:'.length))) continue
      result.delete(referenced)
    }
    if (table.partitionOf !== null) result.add(table.partitionOf.parent)
    for (const parent of table.inherits) result.add(parent)
  }
  if ('ownedBy' in object && object.ownedBy !== null) result.delete(object.ownedBy.table)
  result.delete(object.id)
  return [...result].sort(compareIds)
}

