import path from 'node:path'
import { formatFiles, readProjectConfiguration } from '@nx/devkit'
import type { Tree } from '@nx/devkit'
import { listSourceObjects } from './list-source-objects.js'
import { metadataNameFor } from './metadata-name.js'
import { renderSpec } from './render-spec.js'
import type { SpecGeneratorSchema } from './schema.js'

const SCHEMA_IN_REPO = 'packages/core/schema/pgshift-v1.schema.json'
const SCHEMA_INSTALLED = 'node_modules/@pgshift/core/schema/pgshift-v1.schema.json'

/**
 * `nx g @pgshift/nx-plugin:spec --project db --name 0003-orders [--source-url URL]`: writes
 * `<project>/migrations/0003-orders.yaml`. With a source URL the source's schemas and tables
 * are listed under `objects`; the URL itself is never written or printed.
 */
export default async function specGenerator(tree: Tree, options: SpecGeneratorSchema) {
  const fileName = options.name.replace(/\.ya?ml$/, '')
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(fileName)) {
    throw new Error(`pgshift spec: the name ${JSON.stringify(options.name)} must be a file name (letters, digits, ., _, -)`)
  }
  const metadataName = metadataNameFor(fileName)
  if (metadataName === undefined) {
    throw new Error(`pgshift spec: the name ${fileName} needs letters: metadata.name is derived from it`)
  }
  const folder = migrationsFolder(tree, readProjectConfiguration(tree, options.project).root)
  const file = path.posix.join(folder, `${fileName}.yaml`)
  if (tree.exists(file) || tree.exists(path.posix.join(folder, `${fileName}.yml`))) {
    throw new Error(`pgshift spec: ${file} already exists`)
  }
  const objects = options.sourceUrl === undefined ? undefined : await listSourceObjects(options.sourceUrl)
  if (objects !== undefined) {
    const tables = objects.reduce((count, schema) => count + schema.tables.length, 0)
    console.log(`pgshift spec: listed ${objects.length} schemas and ${tables} tables of the source database`)
  }
  const schemaFile = tree.exists(SCHEMA_IN_REPO) ? SCHEMA_IN_REPO : SCHEMA_INSTALLED
  tree.write(file, renderSpec({ metadataName, schemaPath: path.posix.relative(folder, schemaFile), objects }))
  if (!options.skipFormat) await formatFiles(tree)
}

// Same owner rule as the plugin's inference: a project that is itself the migrations folder
// keeps its specs at its root, any other project in its migrations/ folder.
function migrationsFolder(tree: Tree, projectRoot: string): string {
  const root = projectRoot === '' ? '.' : projectRoot
  if (path.posix.basename(root) === 'migrations' && !tree.exists(path.posix.join(root, 'migrations'))) {
    return root
  }
  return path.posix.join(root, 'migrations')
}
