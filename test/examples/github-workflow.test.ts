import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { parseDocument } from 'yaml'

const WORKFLOW_PATH = join(__dirname, '..', '..', 'examples', 'github', 'pgshift-plan.yml')
const README_PATH = join(__dirname, '..', '..', 'README.md')

interface Step {
  readonly name?: string
  readonly id?: string
  readonly uses?: string
  readonly run?: string
  readonly if?: string
  readonly env?: Record<string, string>
  readonly with?: Record<string, unknown>
  readonly 'continue-on-error'?: boolean
}
interface Job {
  readonly if?: string
  readonly needs?: string
  readonly environment?: string
  readonly permissions?: Record<string, string>
  readonly env?: Record<string, string>
  readonly steps: Step[]
}
interface Workflow {
  readonly on: {
    readonly pull_request: { readonly paths: string[] }
    readonly push: { readonly branches: string[]; readonly paths: string[] }
  }
  readonly jobs: Record<string, Job>
}

function load(): Workflow {
  const document = parseDocument(readFileSync(WORKFLOW_PATH, 'utf8'), { prettyErrors: true, uniqueKeys: true })
  assert.deepEqual(document.errors.map((error) => error.message), [], 'the workflow parses as YAML')
  return document.toJS() as Workflow
}

function step(job: Job, match: (step: Step) => boolean, what: string): Step {
  const found = job.steps.find(match)
  assert.ok(found, what)
  return found
}

describe('examples/github/pgshift-plan.yml', () => {
  const workflow = load()
  const runs = (job: Job) => job.steps.map((candidate) => candidate.run ?? '').join('\n')

  test('runs on pull requests and pushes to main that touch migrations/**', () => {
    assert.deepEqual(workflow.on.pull_request.paths, ['migrations/**'])
    assert.deepEqual(workflow.on.push.branches, ['main'])
    assert.deepEqual(workflow.on.push.paths, ['migrations/**'])
  })

  test('lints and plans a pull request, then posts plan.md as a comment it updates', () => {
    const { lint, plan } = workflow.jobs
    assert.ok(lint && plan)
    assert.match(lint.if ?? '', /pull_request/)
    assert.match(runs(lint), /^npm ci$/m)
    assert.match(runs(lint), /npx nx run db:migrate-lint/)
    assert.equal(plan.needs, 'lint')
    assert.equal(plan.permissions?.['pull-requests'], 'write')
    assert.equal(plan.env?.['SOURCE_DATABASE_URL'], '${{ secrets.SOURCE_DATABASE_URL }}')
    assert.equal(plan.env?.['TARGET_DATABASE_URL'], '${{ secrets.TARGET_DATABASE_URL }}')
    const planStep = step(plan, (candidate) => candidate.run === 'npx nx run db:migrate-plan', 'a migrate-plan step')
    // the comment must still be posted when prechecks fail, so the plan step may not end the job
    assert.equal(planStep['continue-on-error'], true)
    const upload = step(plan, (candidate) => candidate.uses?.startsWith('actions/upload-artifact@') === true, 'an upload step')
    assert.equal(upload.with?.['path'], 'dist/pgshift/db/')
    const comment = step(plan, (candidate) => candidate.uses?.startsWith('actions/github-script@') === true, 'a comment step')
    assert.equal(comment.env?.['PLAN_DIR'], 'dist/pgshift/db')
    const script = String(comment.with?.['script'])
    assert.match(script, /plan\.md/)
    assert.match(script, /updateComment/)
    assert.match(script, /createComment/)
    // a script that does not compile would only fail on GitHub
    assert.doesNotThrow(() => new Function('require', 'process', 'context', 'github', `return (async () => {\n${script}\n})`))
    const fail = step(plan, (candidate) => candidate.if === "steps.plan.outcome != 'success'", 'a final failing step')
    assert.match(fail.run ?? '', /exit 1/)
  })

  test('applies the merged specs on main with the reviewed plan.json', () => {
    const { apply } = workflow.jobs
    assert.ok(apply)
    assert.match(apply.if ?? '', /push/)
    assert.equal(apply.environment, 'production')
    assert.equal(apply.permissions?.['actions'], 'read')
    assert.match(runs(apply), /^npm ci$/m)
    assert.match(runs(apply), /gh run download "\$run" --name "pgshift-plan-\$head" --dir plans/)
    assert.match(runs(apply), /npx nx run db:migrate-apply --spec="\$spec" --plan="\$plan"/)
    assert.match(runs(apply), /plan="plans\/\$\{name%\.\*\}\/plan\.json"/)
  })

  test("README.md's excerpt is taken from the workflow, line for line", () => {
    const readme = readFileSync(README_PATH, 'utf8')
    const section = /^## Pull-request workflow\n([\s\S]*?)^## /m.exec(readme)?.[1]
    assert.ok(section, 'README.md has a "## Pull-request workflow" section')
    const excerpt = /^```yaml\n([\s\S]*?)^```/m.exec(section)?.[1]
    assert.ok(excerpt, 'the section shows the workflow in a yaml block')
    const workflowLines = new Set(readFileSync(WORKFLOW_PATH, 'utf8').split('\n').map((line) => line.trim()))
    // the excerpt's own trailing comments explain it; everything else must be the workflow's
    const lines = excerpt.split('\n').map((line) => line.replace(/\s+# .*$/, '').trim()).filter((line) => line !== '')
    assert.ok(lines.length > 10)
    for (const line of lines) assert.ok(workflowLines.has(line), `README excerpt line not in the workflow: ${line}`)
  })
})
