// The process the kill test kills: one full copy, events as JSON lines on stdout.
// Environment: COPY_SOURCE_URL, COPY_TARGET_URL, COPY_SPEC (YAML after the spec's header).
import { prepareCopyPlan, runFullCopy } from '../../packages/core/src/copy/index.js'
import { openDatabase } from '../../packages/core/src/pg/index.js'
import { loadSpecText } from '../../packages/core/src/spec/index.js'

async function main(): Promise<void> {
  const text = [
    'apiVersion: pgshift/v1',
    'kind: Migration',
    'metadata: { name: copy-test }',
    'source: { url: "${COPY_SOURCE_URL}" }',
    'destination: { url: "${COPY_TARGET_URL}" }',
    process.env.COPY_SPEC ?? '',
  ].join('\n')
  const { spec, problems } = await loadSpecText(text, 'copy-child.yaml')
  if (spec === undefined) throw new Error(JSON.stringify(problems))
  const source = await openDatabase(spec.source.url, { role: 'source' })
  const destination = await openDatabase(spec.destination.url, { role: 'destination' })
  try {
    const plan = await prepareCopyPlan(source, destination, spec)
    await runFullCopy({
      source,
      destination,
      spec,
      plan,
      onEvent: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
    })
  } finally {
    await Promise.all([source.close(), destination.close()])
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
