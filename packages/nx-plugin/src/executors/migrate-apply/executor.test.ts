import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { captureConsole } from '../../testing/capture-console.js'
import { executorContext } from '../../testing/executor-context.js'
import { recordingCli } from '../../testing/recording-cli.js'
import { specWorkspace } from '../../testing/spec-workspace.js'
import migrateApplyExecutor from './executor.js'

describe('migrate-apply executor', () => {
  let root: string
  let remove: () => Promise<void>

  before(async () => {
    ;({ root, remove } = await specWorkspace())
  })

  after(() => remove())

  test('every option becomes its CLI flag', async () => {
    const { cli, calls } = recordingCli()
    const { value } = await captureConsole(() =>
      migrateApplyExecutor(
        {
          migrationsDir: 'one/migrations',
          plan: 'dist/pgshift/one/0001-orders/plan.json',
          dryRun: true,
          yes: true,
          until: 'caught-up',
          ignoreWarnings: true,
          logFormat: 'json',
          metricsPort: 9464,
          metricsHost: '0.0.0.0',
        },
        executorContext(root, { projectName: 'one' }),
        cli,
      ),
    )
    assert.deepEqual(value, { success: true })
    assert.deepEqual(calls, [
      [
        'node', 'pgshift', 'apply',
        '--spec', 'one/migrations/0001-orders.yaml',
        '--plan', 'dist/pgshift/one/0001-orders/plan.json',
        '--dry-run',
        '--yes',
        '--until', 'caught-up',
        '--ignore-warnings',
        '--log-format', 'json',
        '--metrics-port', '9464',
        '--metrics-host', '0.0.0.0',
      ],
    ])
  })

  test('options left out or false add no flag', async () => {
    const { cli, calls } = recordingCli()
    await captureConsole(() =>
      migrateApplyExecutor(
        { migrationsDir: 'one/migrations', dryRun: false, yes: false, ignoreWarnings: false },
        executorContext(root, { projectName: 'one' }),
        cli,
      ),
    )
    assert.deepEqual(calls, [['node', 'pgshift', 'apply', '--spec', 'one/migrations/0001-orders.yaml']])
  })

  test('without a migrationsDir option the project root decides where the specs are', async () => {
    const { cli, calls } = recordingCli()
    await captureConsole(() =>
      migrateApplyExecutor({}, executorContext(root, { projectName: 'one', projectRoot: 'one' }), cli),
    )
    assert.deepEqual(calls, [['node', 'pgshift', 'apply', '--spec', 'one/migrations/0001-orders.yaml']])
  })

  test('with several specs and none chosen it refuses and lists them', async () => {
    const { cli, calls } = recordingCli()
    const { value, stderr } = await captureConsole(() =>
      migrateApplyExecutor(
        { migrationsDir: 'two/migrations', yes: true },
        executorContext(root, { projectName: 'two' }),
        cli,
      ),
    )
    assert.deepEqual(value, { success: false })
    assert.deepEqual(calls, [])
    assert.equal(
      stderr,
      'pgshift apply: two/migrations holds 2 specs and none was chosen; pass one with --spec:\n' +
        '  two/migrations/0001-sales.yaml\n' +
        '  two/migrations/0002-billing.yml\n' +
        'for example: nx run two:migrate-apply --spec=0001-sales.yaml\n',
    )
  })

  test('with several specs, spec chooses one', async () => {
    const { cli, calls } = recordingCli()
    const { value } = await captureConsole(() =>
      migrateApplyExecutor(
        { migrationsDir: 'two/migrations', spec: '0002-billing.yml' },
        executorContext(root, { projectName: 'two' }),
        cli,
      ),
    )
    assert.deepEqual(value, { success: true })
    assert.deepEqual(calls, [['node', 'pgshift', 'apply', '--spec', 'two/migrations/0002-billing.yml']])
  })

  test('refuses to run when targetDefaults made the target cacheable', async () => {
    // Nx hands the merged configuration both as context.target and in projectsConfigurations;
    // either one saying cache: true is enough to refuse.
    const cached = { executor: '@pgshift/nx-plugin:migrate-apply', cache: true }
    const viaTarget = executorContext(root, { projectName: 'one', target: cached })
    const viaProjects = executorContext(root, { projectName: 'one' })
    viaProjects.target = undefined
    const project = viaProjects.projectsConfigurations.projects['one']
    if (project) project.targets = { 'migrate-apply': cached }
    for (const context of [viaTarget, viaProjects]) {
      const { cli, calls } = recordingCli()
      const { value, stderr } = await captureConsole(() =>
        migrateApplyExecutor({ migrationsDir: 'one/migrations', yes: true }, context, cli),
      )
      assert.deepEqual(value, { success: false })
      assert.deepEqual(calls, [])
      assert.match(stderr, /refusing to run one:migrate-apply: it is configured with cache: true/)
      assert.match(stderr, /from targetDefaults in nx\.json or from the target in project\.json/)
    }
  })

  test('a non-zero exit code fails the target and is explained', async () => {
    const { cli } = recordingCli([1])
    const { value, stdout, stderr } = await captureConsole(() =>
      migrateApplyExecutor({ migrationsDir: 'one/migrations' }, executorContext(root, { projectName: 'one' }), cli),
    )
    assert.deepEqual(value, { success: false })
    assert.equal(stdout, 'ran apply --spec\n')
    assert.equal(
      stderr,
      'pgshift apply one/migrations/0001-orders.yaml: exit code 1 (problems or differences found)\n',
    )
  })

  test('through the real CLI: a usage error comes back as exit code 2 on the console', async () => {
    const { value, stderr } = await captureConsole(() =>
      migrateApplyExecutor(
        // bypasses the schema on purpose: commander itself rejects the value
        { migrationsDir: 'one/migrations', until: 'forever' as 'caught-up' },
        executorContext(root, { projectName: 'one' }),
      ),
    )
    assert.deepEqual(value, { success: false })
    assert.match(stderr, /'forever' is invalid/)
    assert.match(stderr, /exit code 2 \(usage error/)
  })
})
