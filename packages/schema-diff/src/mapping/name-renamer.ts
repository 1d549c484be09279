import type { SchemaModel } from '../model/schema-model.js'
import type { NameMapping, TableMapping } from './name-mapping.js'

/** A source relation (table, view, sequence) with its source columns and its mapping. */
export interface SourceRelation {
  readonly schema: string
  readonly name: string
  readonly columns: readonly string[]
  readonly mapping: TableMapping | undefined
}

/** Answers "what is this source name called on the destination?" for one mapping. */
export class NameRenamer {
  readonly #schemas: ReadonlyMap<string, string>
  readonly #relations = new Map<string, SourceRelation>()
  readonly #byName = new Map<string, SourceRelation[]>()

  constructor(model: Pick<SchemaModel, 'tables' | 'views' | 'sequences'>, mapping: NameMapping) {
    this.#schemas = new Map(Object.entries(mapping.schemas ?? {}))
    const tableMappings = new Map(
      (mapping.tables ?? []).map((table) => [key(table.schema, table.name), table]),
    )
    this.#add = (schema, name, columns) => {
      const relation = { schema, name, columns, mapping: tableMappings.get(key(schema, name)) }
      this.#relations.set(key(schema, name), relation)
      this.#byName.set(name, [...(this.#byName.get(name) ?? []), relation])
    }
    for (const table of model.tables) this.#add(table.schema, table.name, table.columns.map((c) => c.name))
    for (const view of model.views) this.#add(view.schema, view.name, view.columns.map((c) => c.name))
    for (const sequence of model.sequences) this.#add(sequence.schema, sequence.name, [])
  }

  readonly #add: (schema: string, name: string, columns: readonly string[]) => void

  /**
   * A renamer that knows only these relations, for callers without a whole model (captured
   * DDL). A relation's `columns` need only hold the columns that expressions may name
   * unqualified and that the mapping renames or excludes: other columns keep their names.
   */
  static forRelations(
    relations: readonly { readonly schema: string; readonly name: string; readonly columns: readonly string[] }[],
    mapping: NameMapping,
  ): NameRenamer {
    const renamer = new NameRenamer({ tables: [], views: [], sequences: [] }, mapping)
    for (const relation of relations) renamer.#add(relation.schema, relation.name, relation.columns)
    return renamer
  }

  /** The destination name of a schema. */
  schema(name: string): string {
    return this.#schemas.get(name) ?? name
  }

  /**
   * The source relation a (possibly unqualified) name refers to. Unqualified names resolve to
   * `public` first, then to the only relation of that name, as a default search_path would.
   */
  resolve(schema: string | undefined, name: string): SourceRelation | undefined {
    if (schema !== undefined) return this.#relations.get(key(schema, name))
    const candidates = this.#byName.get(name) ?? []
    return candidates.find((relation) => relation.schema === 'public') ??
      (candidates.length === 1 ? candidates[0] : undefined)
  }

  /** The destination name of a relation. */
  relationName(relation: SourceRelation): string {
    return relation.mapping?.rename ?? relation.name
  }

  /** The destination name of a column, or null when the spec leaves it out. */
  column(relation: SourceRelation, column: string): string | null {
    if (relation.mapping?.excludeColumns?.includes(column)) return null
    return relation.mapping?.renameColumns?.[column] ?? column
  }
}

function key(schema: string, name: string): string {
  return `${schema}\u0000${name}`
}
