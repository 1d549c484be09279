import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { renderValidationJson } from './render-validation-json.js'
import { renderValidationMarkdown } from './render-validation-markdown.js'
import { renderValidationText } from './render-validation-text.js'
import type { TableValidation, ValidationReport } from './validation-report.js'

const EQUAL: TableValidation = {
  tableId: 'table:public.actor',
  source: { schema: 'public', name: 'actor' },
  destination: { schema: 'public', name: 'actor' },
  status: 'equal',
  sourceRows: 200,
  destinationRows: 200,
  checksum: 'equal',
  key: ['actor_id'],
  ranges: 1,
  differingRanges: 0,
  differences: [],
  moreDifferences: false,
  note: null,
}

const REPORT: ValidationReport = {
  migration: 'sales-to-eu',
  mode: 'checksum',
  rowHash: 'column-hash',
  status: 'different',
  tables: [
    EQUAL,
    {
      ...EQUAL,
      tableId: 'table:sales.orders',
      source: { schema: 'sales', name: 'orders' },
      destination: { schema: 'sales_eu', name: 'orders|archive' },
      status: 'different',
      sourceRows: 1234567,
      destinationRows: 1234567,
      checksum: 'different',
      key: ['id'],
      ranges: 13,
      differingRanges: 2,
      differences: [
        { kind: 'changed', key: { id: '7' }, columns: [{ source: 'amount', destination: 'total_amount' }, { source: 'note', destination: 'note' }] },
        { kind: 'missing', key: { id: '9' }, columns: [] },
      ],
      moreDifferences: true,
    },
    {
      ...EQUAL,
      tableId: 'table:sales.events',
      source: { schema: 'sales', name: 'events' },
      destination: { schema: 'sales', name: 'events' },
      status: 'different',
      checksum: 'different',
      key: [],
      note: 'the differing rows cannot be named: it has no primary key and no unique key over NOT NULL columns',
    },
  ],
  sequences: [{ label: 'sales.orders_id_seq', sourceValue: '1234567', destinationValue: '1', status: 'behind' }],
  durationMs: 4200,
}

describe('validation reports', () => {
  test('text: verdict, aligned table, differences with keys and columns, sequences', () => {
    assert.equal(
      renderValidationText(REPORT),
      [
        'pgshift validate sales-to-eu: different — 2 of 3 tables differ; 1 sequence behind or missing on the destination',
        'compared row counts and checksums (column-hash) in 4.2 s',
        '',
        'TABLE                                     SOURCE ROWS  DESTINATION ROWS  STATUS',
        'public.actor                              200          200               equal',
        'sales.orders → sales_eu."orders|archive"  1,234,567    1,234,567         different',
        'sales.events                              200          200               different',
        '',
        'sales.orders → sales_eu."orders|archive": more than 2 rows differ, the first 2 listed (2 of 13 key ranges differ)',
        '  changed                 id=7  columns: amount → total_amount, note',
        '  missing on destination  id=9',
        '',
        'sales.events: the differing rows cannot be named: it has no primary key and no unique key over NOT NULL columns',
        '',
        'SEQUENCE             SOURCE   DESTINATION  STATUS',
        'sales.orders_id_seq  1234567  1            behind',
        '',
      ].join('\n'),
    )
  })

  test('markdown: table cells escape pipes; differing tables get their own table', () => {
    const markdown = renderValidationMarkdown(REPORT)
    assert.match(markdown, /^### pgshift validate `sales-to-eu`: \*\*different\*\*$/m)
    assert.match(markdown, /^\| `sales\.orders → sales_eu\."orders\\\|archive"` \| 1,234,567 \| 1,234,567 \| \*\*different\*\* \|$/m)
    assert.match(markdown, /^\| `id=7` \| changed \| `amount → total_amount`, `note` \|$/m)
    assert.match(markdown, /^\| `sales\.orders_id_seq` \| 1234567 \| 1 \| \*\*behind\*\* \|$/m)
  })

  test('json: fixed key order and a summary', () => {
    const json = JSON.parse(renderValidationJson(REPORT)) as Record<string, unknown> & { tables: Record<string, unknown>[] }
    assert.deepEqual(Object.keys(json), ['migration', 'status', 'mode', 'rowHash', 'summary', 'tables', 'sequences', 'durationMs'])
    assert.deepEqual(json.summary, { tables: 3, tablesDifferent: 2, sequences: 1, sequencesBehind: 1 })
    assert.deepEqual(Object.keys(json.tables[0] ?? {}), [
      'tableId', 'source', 'destination', 'status', 'sourceRows', 'destinationRows', 'checksum', 'key', 'ranges',
      'differingRanges', 'differences', 'moreDifferences', 'note',
    ])
  })
})
