import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import { withClient } from '../support/test-databases.js'
import { WORKSPACE_ROOT } from '../support/workspace-root.js'
import { createApplyPair, writeSpec } from './apply-kit.js'

const BIN = path.join(WORKSPACE_ROOT, 'packages', 'core', 'bin', 'pgshift.js')
const ROWS = 30_000

/** One sample's value, or undefined when the series is absent. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith(`${name}{${labels}} `))
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

test('apply --metrics-port 0: the printed endpoint shows the copy counters growing during the run and matching the table at the end', async (t) => {
  const pair = await createApplyPair(t)
  await withClient(pair.source.url, (client) =>
    client.query(`
      CREATE TABLE big (id int PRIMARY KEY, label text NOT NULL, pad text);
      INSERT INTO big SELECT i, 'row ' || i, repeat(md5(i::text), 2) FROM generate_series(1, ${ROWS}) AS i;
      CREATE INDEX big_label ON big (label);
      CREATE INDEX big_pad ON big (pad);
      ANALYZE;`),
  )
  // throttled so that the copy takes about 5 s and is scraped many times
  const spec = await writeSpec(pair, 'types: [schema, full]\noptions: { throttle: { full: { rowsPerSecond: 6000 } } }', 'metrics-test')
  const child = spawn(process.execPath, [BIN, 'apply', '--spec', spec, '--log-format', 'json', '--metrics-port', '0'], {
    env: { ...process.env, ...pair.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(() => child.kill('SIGKILL'))
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const lines = createInterface({ input: child.stdout })
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const event = JSON.parse(line) as { type: string; url?: string; port?: number }
      if (event.type === 'metrics' && event.url !== undefined) resolve(event.url)
    })
    child.on('exit', () => reject(new Error(`apply exited before printing the metrics address: ${stderr}`)))
  })
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
  assert.notEqual(new URL(url).port, '0')

  const labels = 'migration="metrics-test",table="public.big"'
  const rows: number[] = []
  let final: string | undefined
  let sawFullPhase = false
  let exited = false
  void exit.then(() => (exited = true))
  while (!exited) {
    let text: string
    try {
      const response = await fetch(url)
      assert.equal(response.status, 200)
      text = await response.text()
    } catch {
      if (exited) break
      // the server closes with apply: only then may a scrape fail
      await exit
      break
    }
    const copied = sample(text, 'pgshift_copy_rows_total', labels)
    if (copied !== undefined) rows.push(copied)
    if (sample(text, 'pgshift_phase', 'migration="metrics-test",phase="full"') === 1) sawFullPhase = true
    if (sample(text, 'pgshift_copy_units_total', 'migration="metrics-test",status="done"') === 1) final = text
    await sleep(25)
  }
  assert.equal(await exit, 0, stderr)

  assert.ok(sawFullPhase, 'pgshift_phase showed the full copy running')
  for (let index = 1; index < rows.length; index++) {
    assert.ok(rows[index]! >= rows[index - 1]!, `a counter never goes down: ${rows[index - 1]} then ${rows[index]}`)
  }
  const partial = new Set(rows.filter((value) => value > 0 && value < ROWS))
  assert.ok(partial.size >= 3, `seen growing during the copy: ${[...partial].join(', ')}`)
  assert.ok(final, 'a scrape after the copy finished')
  assert.equal(sample(final, 'pgshift_copy_rows_total', labels), ROWS)
  assert.ok((sample(final, 'pgshift_copy_bytes_total', labels) ?? 0) > ROWS * 64)
  assert.equal(sample(final, 'pgshift_copy_units_total', 'migration="metrics-test",status="failed"'), 0)
  assert.equal(sample(final, 'pgshift_errors_total', 'migration="metrics-test",phase="full"'), undefined)
  assert.match(final, /^process_resident_memory_bytes \d+/m)
  // the endpoint went away with apply
  await assert.rejects(fetch(url))
})
