import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readNxJson } from '@nx/devkit'
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing'
import initGenerator, { PLUGIN_NAME } from './generator.js'

test('init registers the plugin in nx.json exactly once', async () => {
  process.env.NX_SKIP_FORMAT = 'true'
  const tree = createTreeWithEmptyWorkspace()
  await initGenerator(tree, { skipFormat: true })
  await initGenerator(tree, { skipFormat: true })
  const plugins = readNxJson(tree)?.plugins ?? []
  const ours = plugins.filter((entry) =>
    typeof entry === 'string' ? entry === PLUGIN_NAME : entry.plugin === PLUGIN_NAME,
  )
  assert.equal(ours.length, 1)
})
