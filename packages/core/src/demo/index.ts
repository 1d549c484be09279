export { DEMO_DATASET_SQL, DEMO_SPEC_YAML } from './demo-dataset.js'
export { runDemo, stopKeptDemos } from './run-demo.js'
export type { DemoResult, RunDemoOptions } from './run-demo.js'
