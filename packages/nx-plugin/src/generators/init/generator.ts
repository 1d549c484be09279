import { formatFiles, readNxJson, updateNxJson } from '@nx/devkit'
import type { Tree } from '@nx/devkit'
import type { InitGeneratorSchema } from './schema.js'

export const PLUGIN_NAME = '@pgshift/nx-plugin'

/** `nx g @pgshift/nx-plugin:init`: registers the plugin once in nx.json. */
export default async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}) {
  const nxJson = readNxJson(tree) ?? {}
  const plugins = nxJson.plugins ?? []
  const registered = plugins.some((entry) =>
    typeof entry === 'string' ? entry === PLUGIN_NAME : entry.plugin === PLUGIN_NAME,
  )
  if (!registered) {
    nxJson.plugins = [...plugins, PLUGIN_NAME]
    updateNxJson(tree, nxJson)
  }
  if (!options.skipFormat) await formatFiles(tree)
}
