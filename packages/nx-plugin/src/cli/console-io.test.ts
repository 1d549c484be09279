import assert from 'node:assert/strict'
import { test } from 'node:test'
import { captureConsole } from '../testing/capture-console.js'
import { consoleIo } from './console-io.js'

test('CLI text reaches console line by line, however it was chunked', async () => {
  const { stdout, stderr } = await captureConsole(async () => {
    const terminal = consoleIo('/workspace', {})
    terminal.io.stdout.write('plan: 2 ta')
    terminal.io.stdout.write('bles\nhazards: none\nlast line without newline')
    terminal.io.stderr.write('warning: slow\n')
    assert.equal(terminal.io.cwd, '/workspace')
    terminal.flush()
  })
  assert.equal(stdout, 'plan: 2 tables\nhazards: none\nlast line without newline\n')
  assert.equal(stderr, 'warning: slow\n')
})
