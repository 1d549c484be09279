#!/usr/bin/env node
'use strict'
// Entry point of the `pgshift` command. Inside the pgshift monorepo the TypeScript
// sources run directly through tsx, so `npx pgshift` needs no build step; an installed
// package (no src/ folder) runs the compiled dist/.
const path = require('node:path')
const fs = require('node:fs')

const packageRoot = path.join(__dirname, '..')
const sourceEntry = path.join(packageRoot, 'src', 'cli', 'main.ts')

let main
if (fs.existsSync(sourceEntry)) {
  // The workspace tsconfig maps @pgshift/* to their sources; tsx reads it from here
  // rather than from the caller's working directory.
  const workspaceTsconfig = path.join(packageRoot, '..', '..', 'tsconfig.base.json')
  if (!process.env.TSX_TSCONFIG_PATH && fs.existsSync(workspaceTsconfig)) {
    process.env.TSX_TSCONFIG_PATH = workspaceTsconfig
  }
  require('tsx/cjs/api').register()
  main = require(sourceEntry).main
} else {
  main = require(path.join(packageRoot, 'dist', 'cli', 'main.js')).main
}

main(process.argv).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    process.stderr.write(`pgshift: internal error: ${error && error.stack ? error.stack : error}\n`)
    process.exitCode = 70
  },
)
