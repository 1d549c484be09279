import type { SourceSchema } from './list-source-objects.js'

export interface SpecTemplate {
  readonly metadataName: string
  /** Path from the spec's folder to the published JSON Schema, for editors. */
  readonly schemaPath: string
  /** The source's schemas and tables; undefined when no source was read. */
  readonly objects?: readonly SourceSchema[]
}

/** The text of a new spec. Connection URLs stay `${VAR}` references: no secret in the file. */
export function renderSpec(template: SpecTemplate): string {
  return [
    `# yaml-language-server: $schema=${template.schemaPath}`,
    'apiVersion: pgshift/v1',
    'kind: Migration',
    'metadata:',
    `  name: ${template.metadataName}`,
    'source:',
    '  # taken from the environment so that no password is written here',
    '  url: ${SOURCE_DATABASE_URL}',
    'destination:',
    '  url: ${TARGET_DATABASE_URL}',
    '# schema: create the objects; full: copy the rows; add incremental to follow changes until cutover',
    'types: [schema, full]',
    ...renderObjects(template.objects),
    '',
  ].join('\n')
}

function renderObjects(objects: readonly SourceSchema[] | undefined): string[] {
  if (objects === undefined) {
    return [
      '# the schemas (and optionally tables) to move; leave objects out to move the whole database',
      'objects:',
      '  - schema: public',
    ]
  }
  if (objects.length === 0) {
    return ['# the source had no schema to move: list the schemas here, or leave objects out', '# objects:']
  }
  return [
    '# as found in the source database; a schema without tables is taken whole',
    'objects:',
    ...objects.flatMap((schema) => [
      `  - schema: ${yamlScalar(schema.name)}`,
      ...(schema.tables.length === 0 ? [] : ['    tables:']),
      ...schema.tables.map((table) => `      - name: ${yamlScalar(table)}`),
    ]),
  ]
}

// PostgreSQL names may hold anything; a JSON string is a valid YAML double-quoted scalar, so
// anything that would not read back as the same plain string is written that way.
function yamlScalar(text: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_$-]*$/.test(text) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(text)
  return plain ? text : JSON.stringify(text)
}
