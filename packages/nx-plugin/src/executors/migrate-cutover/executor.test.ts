import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { captureConsole } from '../../testing/capture-console.js'
import { executorContext } from '../../testing/executor-context.js'
import { recordingCli } from '../../testing/recording-cli.js'
import { specWorkspace } from '../../testing/spec-workspace.js'
import migrateCutoverExecutor from './executor.js'

describe('migrate-cutover executor', () => {
  let root: string
  let remove: () => Promise<void>
  const context = (projectName: string) =>
    executorContext(root, { projectName, targetName: 'migrate-cutover' })

  before(async () => {
    ;({ root, remove } = await specWorkspace())
  })

  after(() => remove())

  test('every option becomes its CLI flag', async () => {
    const { cli, calls } = recordingCli()
    const { value } = await captureConsole(() =>
      migrateCutoverExecutor(
        { migrationsDir: 'one/migrations', format: 'json', timeout: '5m', revokeWrites: 'app', sequenceGap: 1000 },
        context('one'),
        cli,
      ),
    )
    assert.deepEqual(value, { success: true })
    assert.deepEqual(calls, [
      [
        'node', 'pgshift', 'cutover',
        '--spec', 'one/migrations/0001-orders.yaml',
        '--format', 'json',
        '--timeout', '5m',
        '--revoke-writes', 'app',
        '--sequence-gap', '1000',
      ],
    ])
  })

  test('a timeout given as a bare number is passed on as written', async () => {
    const { cli, calls } = recordingCli()
    await captureConsole(() =>
      migrateCutoverExecutor({ migrationsDir: 'one/migrations', timeout: 30 }, context('one'), cli),
    )
    assert.deepEqual(calls, [
      ['node', 'pgshift', 'cutover', '--spec', 'one/migrations/0001-orders.yaml', '--timeout', '30'],
    ])
  })

  test('with several specs and none chosen it refuses and lists them', async () => {
    const { cli, calls } = recordingCli()
    const { value, stderr } = await captureConsole(() =>
      migrateCutoverExecutor({ migrationsDir: 'two/migrations' }, context('two'), cli),
    )
    assert.deepEqual(value, { success: false })
    assert.deepEqual(calls, [])
    assert.match(
      stderr,
      /^pgshift cutover: two\/migrations holds 2 specs and none was chosen; pass one with --spec:$/m,
    )
    assert.match(stderr, /^  two\/migrations\/0001-sales\.yaml\n  two\/migrations\/0002-billing\.yml$/m)
    assert.match(stderr, /nx run two:migrate-cutover --spec=0001-sales\.yaml/)
  })

  test('with several specs, spec chooses one', async () => {
    const { cli, calls } = recordingCli()
    await captureConsole(() =>
      migrateCutoverExecutor(
        { migrationsDir: 'two/migrations', spec: '0001-sales.yaml' },
        context('two'),
        cli,
      ),
    )
    assert.deepEqual(calls, [['node', 'pgshift', 'cutover', '--spec', 'two/migrations/0001-sales.yaml']])
  })

  test('refuses to run when the target is cacheable', async () => {
    const { cli, calls } = recordingCli()
    const cached = executorContext(root, {
      projectName: 'one',
      targetName: 'migrate-cutover',
      target: { executor: '@pgshift/nx-plugin:migrate-cutover', cache: true },
    })
    const { value, stderr } = await captureConsole(() =>
      migrateCutoverExecutor({ migrationsDir: 'one/migrations' }, cached, cli),
    )
    assert.deepEqual(value, { success: false })
    assert.deepEqual(calls, [])
    assert.match(stderr, /refusing to run one:migrate-cutover: it is configured with cache: true/)
  })

  test('a non-zero exit code fails the target and is explained', async () => {
    const { cli } = recordingCli([2])
    const { value, stderr } = await captureConsole(() =>
      migrateCutoverExecutor({ migrationsDir: 'one/migrations' }, context('one'), cli),
    )
    assert.deepEqual(value, { success: false })
    assert.match(
      stderr,
      /^pgshift cutover one\/migrations\/0001-orders\.yaml: exit code 2 \(usage error, or the command is not available in this version\)$/m,
    )
  })
})
