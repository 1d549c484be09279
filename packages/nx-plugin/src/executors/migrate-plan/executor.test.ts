import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { captureConsole } from '../../testing/capture-console.js'
import { executorContext } from '../../testing/executor-context.js'
import { recordingCli } from '../../testing/recording-cli.js'
import { specWorkspace } from '../../testing/spec-workspace.js'
import migratePlanExecutor from './executor.js'

describe('migrate-plan executor', () => {
  let root: string
  let remove: () => Promise<void>
  const context = (projectName: string) =>
    executorContext(root, { projectName, targetName: 'migrate-plan' })

  before(async () => {
    ;({ root, remove } = await specWorkspace())
  })

  after(() => remove())

  test('a project with one spec plans it; out gets a folder named after the spec', async () => {
    const { cli, calls } = recordingCli()
    const { value } = await captureConsole(() =>
      migratePlanExecutor(
        { migrationsDir: 'one/migrations', out: 'dist/pgshift/one', format: 'markdown' },
        context('one'),
        cli,
      ),
    )
    assert.deepEqual(value, { success: true })
    assert.deepEqual(calls, [
      [
        'node', 'pgshift', 'plan',
        '--spec', 'one/migrations/0001-orders.yaml',
        '--out', 'dist/pgshift/one/0001-orders',
        '--format', 'markdown',
      ],
    ])
  })

  test('with several specs and none chosen, each is planned in turn', async () => {
    const { cli, calls } = recordingCli()
    const { value, stdout } = await captureConsole(() =>
      migratePlanExecutor({ migrationsDir: 'two/migrations', out: 'plans' }, context('two'), cli),
    )
    assert.deepEqual(value, { success: true })
    assert.deepEqual(calls, [
      ['node', 'pgshift', 'plan', '--spec', 'two/migrations/0001-sales.yaml', '--out', 'plans/0001-sales'],
      ['node', 'pgshift', 'plan', '--spec', 'two/migrations/0002-billing.yml', '--out', 'plans/0002-billing'],
    ])
    // the CLI's own output reaches the console, each run under a heading
    assert.match(stdout, /^> pgshift plan --spec two\/migrations\/0001-sales\.yaml.*\nran plan --spec\n/m)
  })

  test('spec picks one file, relative to the migrations folder or the workspace root', async () => {
    for (const spec of ['0002-billing.yml', 'two/migrations/0002-billing.yml']) {
      const { cli, calls } = recordingCli()
      await captureConsole(() => migratePlanExecutor({ migrationsDir: 'two/migrations', spec }, context('two'), cli))
      assert.deepEqual(calls, [['node', 'pgshift', 'plan', '--spec', 'two/migrations/0002-billing.yml']], spec)
    }
  })

  test('one failing spec fails the target, the others still run, the exit code is named', async () => {
    const { cli, calls } = recordingCli([3, 0])
    const { value, stderr } = await captureConsole(() =>
      migratePlanExecutor({ migrationsDir: 'two/migrations' }, context('two'), cli),
    )
    assert.deepEqual(value, { success: false })
    assert.equal(calls.length, 2)
    assert.match(stderr, /pgshift plan two\/migrations\/0001-sales\.yaml: exit code 3 \(failed: /)
    assert.doesNotMatch(stderr, /0002-billing/)
  })

  test('refuses to run when the target is cacheable', async () => {
    const { cli, calls } = recordingCli()
    const cached = executorContext(root, {
      projectName: 'one',
      targetName: 'migrate-plan',
      target: { executor: '@pgshift/nx-plugin:migrate-plan', cache: true },
    })
    const { value, stderr } = await captureConsole(() =>
      migratePlanExecutor({ migrationsDir: 'one/migrations' }, cached, cli),
    )
    assert.deepEqual(value, { success: false })
    assert.deepEqual(calls, [])
    assert.match(stderr, /refusing to run one:migrate-plan: .*cache: true.*targetDefaults in nx\.json/)
  })

  test('a spec that does not exist is named, and nothing runs', async () => {
    const { cli, calls } = recordingCli()
    const { value, stderr } = await captureConsole(() =>
      migratePlanExecutor({ migrationsDir: 'one/migrations', spec: 'nope.yaml' }, context('one'), cli),
    )
    assert.deepEqual(value, { success: false })
    assert.deepEqual(calls, [])
    assert.match(stderr, /pgshift plan: no spec file nope\.yaml \(looked in the workspace root or one\/migrations\)/)
  })
})
