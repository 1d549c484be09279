import path from 'node:path'

/** The repository root, found from this file's own location (tests may run from any cwd). */
export const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..')
