import type { NameMapping } from '@pgshift/schema-diff'
import type { MigrationSpec } from '../spec/index.js'

/**
 * The spec's renames and column excludes as the schema diff takes them, so that the schema
 * phase creates the destination under the names the copy writes to.
 */
export function specNameMapping(spec: MigrationSpec): NameMapping {
  if (spec.objects === null) return {}
  return {
    schemas: Object.fromEntries(spec.objects.map((schema) => [schema.schema, schema.destinationSchema])),
    tables: spec.objects.flatMap((schema) =>
      (schema.tables ?? []).map((table) => ({
        schema: schema.schema,
        name: table.name,
        rename: table.destinationName,
        excludeColumns: table.columns.exclude,
        renameColumns: table.columns.rename,
      })),
    ),
  }
}
