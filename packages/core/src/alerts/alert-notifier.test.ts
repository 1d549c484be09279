import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ApplyEvent } from '../apply/index.js'
import type { AlertPayload } from './alert-payload.js'
import { AlertNotifier } from './alert-notifier.js'

function recorder(): { payloads: AlertPayload[]; notifier: (maxLagSeconds: number | null) => AlertNotifier } {
  const payloads: AlertPayload[] = []
  let clock = Date.parse('2026-01-02T03:04:05.000Z')
  return {
    payloads,
    notifier: (maxLagSeconds) =>
      new AlertNotifier({
        migration: 'sales-to-eu',
        maxLagSeconds,
        delivery: { send: (payload) => payloads.push(payload), close: async () => {} },
        redact: (text) => text.replaceAll('hunter2', '***'),
        // each reading of the clock is 10 s later
        now: () => new Date((clock += 10_000)),
      }),
  }
}

function lag(lagSeconds: number): ApplyEvent {
  return { type: 'incremental', event: { type: 'lag', appliedLsn: '0/100', sourceLsn: '0/200', lagBytes: 256, lagSeconds } }
}

describe('AlertNotifier', () => {
  test('lag: one alert when it goes above maxLagSeconds, one lag-resolved when it falls back', () => {
    const { payloads, notifier } = recorder()
    const alerts = notifier(60)
    for (const seconds of [5, 61, 120, 90]) alerts.observe(lag(seconds))
    alerts.observe({ type: 'incremental', event: { type: 'caught-up', lagBytes: 0, lagSeconds: 0.5 } })
    alerts.observe(lag(3))
    assert.deepEqual(
      payloads.map((payload) => payload.kind),
      ['lag', 'lag-resolved'],
    )
    const [above, resolved] = payloads
    assert.deepEqual(above, {
      migration: 'sales-to-eu',
      kind: 'lag',
      timestamp: "2026-01-02T03:04:25.000Z",
      text: 'pgshift sales-to-eu: replication lag 61 s is above the 60 s limit',
      details: { lagSeconds: 61, maxLagSeconds: 60, lagBytes: 256, appliedLsn: '0/100', sourceLsn: '0/200' },
    })
    assert.equal(resolved?.details.lagSeconds, 0.5)
    assert.equal(resolved?.details.episodeSeconds, 30)
    assert.match(resolved?.text ?? '', /lag back to 0\.5 s \(limit 60 s\) after 30 s above it/)
  })

  test('lag: nothing without maxLagSeconds', () => {
    const { payloads, notifier } = recorder()
    const alerts = notifier(null)
    alerts.observe(lag(10_000))
    assert.deepEqual(payloads, [])
  })

  test('failure: a copy unit that failed for good, and the error apply ended with, secrets masked', () => {
    const { payloads, notifier } = recorder()
    const alerts = notifier(60)
    alerts.observe({ type: 'step-started', step: 'full' })
    alerts.observe({
      type: 'copy',
      event: {
        type: 'unit-failed',
        unitId: 'table:public.big#2',
        tableId: 'table:public.big',
        attempts: 3,
        kind: 'other',
        cause: 'new row violates check constraint "boom" (password hunter2)',
        code: '23514',
      },
    })
    alerts.notifyFailure(Object.assign(new Error('copying data: 1 of 4 units failed\nsecond line hunter2'), { code: 'FULL_COPY_FAILED' }), {
      exitCode: 3,
    })
    assert.equal(payloads.length, 2)
    assert.deepEqual(payloads[0]?.details, {
      phase: 'full',
      unit: 'public.big#2',
      table: 'public.big',
      attempts: 3,
      failure: 'other',
      error: 'new row violates check constraint "boom" (password ***)',
      code: '23514',
    })
    assert.equal(payloads[0]?.text, 'pgshift sales-to-eu: copying public.big#2 failed after 3 attempts: new row violates check constraint "boom" (password ***)')
    assert.equal(payloads[1]?.kind, 'failure')
    assert.equal(payloads[1]?.text, 'pgshift sales-to-eu: apply failed in full: copying data: 1 of 4 units failed')
    assert.deepEqual(payloads[1]?.details, {
      phase: 'full',
      error: 'copying data: 1 of 4 units failed\nsecond line ***',
      code: 'FULL_COPY_FAILED',
      exitCode: 3,
    })
    assert.doesNotMatch(JSON.stringify(payloads), /hunter2/)
  })

  test('a delivery that throws never reaches apply', () => {
    const alerts = new AlertNotifier({
      migration: 'm',
      maxLagSeconds: 1,
      delivery: {
        send: () => {
          throw new Error('broken')
        },
        close: async () => {},
      },
    })
    assert.doesNotThrow(() => alerts.observe(lag(5)))
    assert.doesNotThrow(() => alerts.notifyFailure(new Error('x')))
  })
})
