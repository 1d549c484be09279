import type { ObjectId, SchemaModel } from './schema-model.js'

/** A top-level object of any kind: what an {@link ObjectId} names. */
export type TopLevelObject = SchemaModel[Exclude<keyof SchemaModel, 'serverVersion'>][number]

/** Every top-level object of the model, kind by kind in the model's order. */
export function topLevelObjects(model: SchemaModel): TopLevelObject[] {
  return [
    ...model.schemas,
    ...model.extensions,
    ...model.collations,
    ...model.types,
    ...model.sequences,
    ...model.tables,
    ...model.views,
    ...model.functions,
  ]
}

/** The ids of {@link topLevelObjects}. */
export function topLevelIds(model: SchemaModel): Set<ObjectId> {
  return new Set(topLevelObjects(model).map((object) => object.id))
}
