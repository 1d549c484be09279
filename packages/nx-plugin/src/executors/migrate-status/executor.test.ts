import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { captureConsole } from '../../testing/capture-console.js'
import { executorContext } from '../../testing/executor-context.js'
import { recordingCli } from '../../testing/recording-cli.js'
import { specWorkspace } from '../../testing/spec-workspace.js'
import migrateStatusExecutor from './executor.js'

describe('migrate-status executor', () => {
  let root: string
  let remove: () => Promise<void>
  const context = (projectName: string) =>
    executorContext(root, { projectName, targetName: 'migrate-status' })

  before(async () => {
    ;({ root, remove } = await specWorkspace())
  })

  after(() => remove())

  test('every option becomes its CLI flag', async () => {
    const { cli, calls } = recordingCli()
    const { value } = await captureConsole(() =>
      migrateStatusExecutor({ migrationsDir: 'one/migrations', format: 'json' }, context('one'), cli),
    )
    assert.deepEqual(value, { success: true })
    assert.deepEqual(calls, [
      ['node', 'pgshift', 'status', '--spec', 'one/migrations/0001-orders.yaml', '--format', 'json'],
    ])
  })

  test('watch: true is the bare flag, a number its interval', async () => {
    for (const [watch, flags] of [[true, ['--watch']], [5, ['--watch', '5']], [false, []]] as const) {
      const { cli, calls } = recordingCli()
      await captureConsole(() => migrateStatusExecutor({ migrationsDir: 'one/migrations', watch }, context('one'), cli))
      assert.deepEqual(calls, [['node', 'pgshift', 'status', '--spec', 'one/migrations/0001-orders.yaml', ...flags]])
    }
  })

  test('with several specs and none chosen it refuses and lists them', async () => {
    const { cli, calls } = recordingCli()
    const { value, stderr } = await captureConsole(() =>
      migrateStatusExecutor({ migrationsDir: 'two/migrations' }, context('two'), cli),
    )
    assert.deepEqual(value, { success: false })
    assert.deepEqual(calls, [])
    assert.match(
      stderr,
      /^pgshift status: two\/migrations holds 2 specs and none was chosen; pass one with --spec:$/m,
    )
    assert.match(stderr, /^  two\/migrations\/0001-sales\.yaml\n  two\/migrations\/0002-billing\.yml$/m)
    assert.match(stderr, /nx run two:migrate-status --spec=0001-sales\.yaml/)
  })

  test('with several specs, spec chooses one', async () => {
    const { cli, calls } = recordingCli()
    await captureConsole(() =>
      migrateStatusExecutor(
        { migrationsDir: 'two/migrations', spec: '0001-sales.yaml' },
        context('two'),
        cli,
      ),
    )
    assert.deepEqual(calls, [['node', 'pgshift', 'status', '--spec', 'two/migrations/0001-sales.yaml']])
  })

  test('refuses to run when the target is cacheable', async () => {
    const { cli, calls } = recordingCli()
    const cached = executorContext(root, {
      projectName: 'one',
      targetName: 'migrate-status',
      target: { executor: '@pgshift/nx-plugin:migrate-status', cache: true },
    })
    const { value, stderr } = await captureConsole(() =>
      migrateStatusExecutor({ migrationsDir: 'one/migrations' }, cached, cli),
    )
    assert.deepEqual(value, { success: false })
    assert.deepEqual(calls, [])
    assert.match(stderr, /refusing to run one:migrate-status: it is configured with cache: true/)
  })

  test('a non-zero exit code fails the target and is explained', async () => {
    const { cli } = recordingCli([2])
    const { value, stderr } = await captureConsole(() =>
      migrateStatusExecutor({ migrationsDir: 'one/migrations' }, context('one'), cli),
    )
    assert.deepEqual(value, { success: false })
    assert.match(
      stderr,
      /^pgshift status one\/migrations\/0001-orders\.yaml: exit code 2 \(usage error, or the command is not available in this version\)$/m,
    )
  })
})
