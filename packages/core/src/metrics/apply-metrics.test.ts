import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ApplyEvent } from '../apply/index.js'
import type { IncrementalEvent } from '../incremental/index.js'
import { ApplyMetrics } from './apply-metrics.js'

const migration = 'sales-to-eu'

function incremental(event: IncrementalEvent): ApplyEvent {
  return { type: 'incremental', event }
}

/** The value of one series of one metric, read back from the registry. */
async function valueOf(metrics: ApplyMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name)
  assert.ok(metric, `${name} is registered`)
  const { values } = await metric.get()
  const wanted = { migration, ...labels }
  const match = values.find(
    (value) => Object.keys(value.labels).length === Object.keys(wanted).length &&
      Object.entries(wanted).every(([key, label]) => value.labels[key] === label),
  )
  return match?.value
}

describe('ApplyMetrics', () => {
  test('incremental batches count changes per table and operation, transactions and the applied LSN', async () => {
    const metrics = new ApplyMetrics({ migration, processMetrics: false })
    metrics.observe({ type: 'step-started', step: 'incremental' })
    metrics.observe(incremental({ type: 'streaming', slot: 'pgshift_sales', startLsn: '0/16B3748', protocolVersion: 2 }))
    metrics.observe(
      incremental({
        type: 'batch-applied',
        endLsn: '0/16B37A0',
        transactions: 3,
        changes: 7,
        durationMs: 4,
        tables: [
          { tableId: 'table:public.orders', inserts: 4, updates: 1, deletes: 0, truncates: 0 },
          { tableId: 'table:sales.customers', inserts: 0, updates: 0, deletes: 1, truncates: 1 },
        ],
      }),
    )
    metrics.observe(
      incremental({
        type: 'batch-applied',
        endLsn: '16/B374D848',
        transactions: 2,
        changes: 3,
        durationMs: 2,
        tables: [{ tableId: 'table:public.orders', inserts: 2, updates: 0, deletes: 1, truncates: 0 }],
      }),
    )
    assert.equal(await valueOf(metrics, 'pgshift_changes_applied_total', { table: 'public.orders', operation: 'insert' }), 6)
    assert.equal(await valueOf(metrics, 'pgshift_changes_applied_total', { table: 'public.orders', operation: 'update' }), 1)
    assert.equal(await valueOf(metrics, 'pgshift_changes_applied_total', { table: 'public.orders', operation: 'delete' }), 1)
    assert.equal(await valueOf(metrics, 'pgshift_changes_applied_total', { table: 'sales.customers', operation: 'delete' }), 1)
    assert.equal(await valueOf(metrics, 'pgshift_changes_applied_total', { table: 'sales.customers', operation: 'truncate' }), 1)
    // operations that did not happen have no series (no zero series per table x operation)
    assert.equal(await valueOf(metrics, 'pgshift_changes_applied_total', { table: 'sales.customers', operation: 'insert' }), undefined)
    assert.equal(await valueOf(metrics, 'pgshift_transactions_applied_total'), 5)
    assert.equal(await valueOf(metrics, 'pgshift_applied_lsn'), 0x16 * 2 ** 32 + 0xb374d848)
    assert.equal(await valueOf(metrics, 'pgshift_phase', { phase: 'incremental' }), 1)
    assert.equal(await valueOf(metrics, 'pgshift_phase', { phase: 'full' }), 0)
  })

  test('lag gauges follow the last measurement; retries count per phase and side', async () => {
    const metrics = new ApplyMetrics({ migration, processMetrics: false })
    metrics.observe(incremental({ type: 'lag', appliedLsn: '0/3000000', sourceLsn: '0/3000800', lagBytes: 2048, lagSeconds: 12.5 }))
    assert.equal(await valueOf(metrics, 'pgshift_replication_lag_seconds'), 12.5)
    assert.equal(await valueOf(metrics, 'pgshift_replication_lag_bytes'), 2048)
    assert.equal(await valueOf(metrics, 'pgshift_source_lsn'), 0x3000800)
    metrics.observe(incremental({ type: 'caught-up', lagBytes: 0, lagSeconds: 0.2 }))
    assert.equal(await valueOf(metrics, 'pgshift_replication_lag_seconds'), 0.2)
    assert.equal(await valueOf(metrics, 'pgshift_replication_lag_bytes'), 0)
    for (const side of ['source', 'source', 'destination'] as const) {
      metrics.observe(incremental({ type: 'retry', side, attempt: 1, delayMs: 500, error: 'connection lost' }))
    }
    metrics.observe({
      type: 'copy',
      event: { type: 'retry', unitId: 'table:public.big', attempt: 1, delayMs: 500, kind: 'connection', cause: 'reset', code: 'ECONNRESET' },
    })
    assert.equal(await valueOf(metrics, 'pgshift_retries_total', { phase: 'incremental', side: 'source' }), 2)
    assert.equal(await valueOf(metrics, 'pgshift_retries_total', { phase: 'incremental', side: 'destination' }), 1)
    assert.equal(await valueOf(metrics, 'pgshift_retries_total', { phase: 'full', side: 'either' }), 1)
  })

  test('copy counters grow with progress, count a retried attempt again, and units by outcome', async () => {
    const metrics = new ApplyMetrics({ migration, processMetrics: false })
    const copy = (event: Extract<ApplyEvent, { type: 'copy' }>['event']) => metrics.observe({ type: 'copy', event })
    metrics.observe({ type: 'step-started', step: 'full' })
    copy({ type: 'unit-started', unitId: 'table:public.big#1', tableId: 'table:public.big', attempt: 1 })
    copy({ type: 'unit-started', unitId: 'table:public.big#2', tableId: 'table:public.big', attempt: 1 })
    copy({ type: 'unit-progress', unitId: 'table:public.big#1', rows: 100, bytes: 1000 })
    copy({ type: 'unit-progress', unitId: 'table:public.big#2', rows: 50, bytes: 500 })
    assert.equal(await valueOf(metrics, 'pgshift_copy_rows_total', { table: 'public.big' }), 150)
    copy({ type: 'unit-progress', unitId: 'table:public.big#1', rows: 300, bytes: 3000 })
    copy({ type: 'unit-done', unitId: 'table:public.big#1', rows: 400, bytes: 4000, durationMs: 10 })
    assert.equal(await valueOf(metrics, 'pgshift_copy_rows_total', { table: 'public.big' }), 450)
    assert.equal(await valueOf(metrics, 'pgshift_copy_bytes_total', { table: 'public.big' }), 4500)
    // unit 2 fails and starts over: what it sends again is counted again
    copy({ type: 'retry', unitId: 'table:public.big#2', attempt: 1, delayMs: 500, kind: 'other', cause: 'boom', code: '23514' })
    copy({ type: 'unit-started', unitId: 'table:public.big#2', tableId: 'table:public.big', attempt: 2 })
    copy({ type: 'unit-progress', unitId: 'table:public.big#2', rows: 20, bytes: 200 })
    assert.equal(await valueOf(metrics, 'pgshift_copy_rows_total', { table: 'public.big' }), 470)
    copy({ type: 'unit-failed', unitId: 'table:public.big#2', tableId: 'table:public.big', attempts: 2, kind: 'other', cause: 'boom', code: '23514' })
    copy({ type: 'unit-skipped', unitId: 'table:public.small' })
    assert.equal(await valueOf(metrics, 'pgshift_copy_units_total', { status: 'done' }), 1)
    assert.equal(await valueOf(metrics, 'pgshift_copy_units_total', { status: 'failed' }), 1)
    assert.equal(await valueOf(metrics, 'pgshift_copy_units_total', { status: 'skipped' }), 1)
    assert.equal(await valueOf(metrics, 'pgshift_errors_total', { phase: 'full' }), 1)
    metrics.recordFailure()
    assert.equal(await valueOf(metrics, 'pgshift_errors_total', { phase: 'full' }), 2)
  })

  test('exposition: every metric present from the start, process metrics on by default, registries separate', async () => {
    const first = new ApplyMetrics({ migration })
    const second = new ApplyMetrics({ migration: 'other' })
    first.observe(incremental({ type: 'lag', appliedLsn: '0/1', sourceLsn: '0/2', lagBytes: 1, lagSeconds: 1 }))
    const text = await first.registry.metrics()
    for (const name of [
      'pgshift_copy_rows_total',
      'pgshift_copy_bytes_total',
      'pgshift_changes_applied_total',
      'pgshift_retries_total',
      'pgshift_errors_total',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} counter$`, 'm'))
    }
    assert.match(text, /^pgshift_copy_units_total\{migration="sales-to-eu",status="done"\} 0$/m)
    assert.match(text, /^pgshift_transactions_applied_total\{migration="sales-to-eu"\} 0$/m)
    assert.match(text, /^pgshift_phase\{migration="sales-to-eu",phase="precheck"\} 0$/m)
    assert.match(text, /^pgshift_replication_lag_seconds\{migration="sales-to-eu"\} 1$/m)
    assert.match(text, /^process_cpu_user_seconds_total /m)
    assert.doesNotMatch(await second.registry.metrics(), /pgshift_replication_lag_seconds\{[^}]*\} 1$/m)
  })

  test('a malformed event is ignored, never thrown into apply', () => {
    const metrics = new ApplyMetrics({ migration, processMetrics: false })
    assert.doesNotThrow(() => metrics.observe(incremental({ type: 'lag', appliedLsn: 'nonsense', sourceLsn: '0/1', lagBytes: 0, lagSeconds: 0 })))
  })
})
