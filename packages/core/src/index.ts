export * from './spec/index.js'
export * from './lint/index.js'
export { main } from './cli/main.js'
export { ExitCode } from './cli/exit-codes.js'
