// Pure pieces of the full copy: planning, row counting, throttling. No database.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CopyRowCounter, planCopyUnits, TokenBucket } from '../../packages/core/src/copy/index.js'
import type { ColumnFacts, CopyFacts, TableToCopy, SourceTableFacts } from '../../packages/core/src/copy/index.js'

function column(name: string, type: string, extra: Partial<ColumnFacts> = {}): ColumnFacts {
  return { name, type, typeOid: 23, typeName: type, builtin: true, generated: false, binary: true, ...extra }
}

function selected(name: string, keyColumn: string | null, columns = ['id', 'v']): TableToCopy {
  return {
    tableId: `table:public.${name}`,
    source: { schema: 'public', name },
    destination: { schema: 'public', name },
    columns: columns.map((source) => ({ source, destination: source })),
    whereSql: null,
    keyColumn,
    excludedColumns: [],
    operations: ['insert', 'update', 'delete', 'truncate'],
  }
}

function facts(entries: [TableToCopy, Partial<SourceTableFacts>, ColumnFacts[]?][]): CopyFacts {
  const base = [column('id', 'integer'), column('v', 'text', { typeOid: 25 })]
  return {
    source: new Map(
      entries.map(([table, source]) => [table.tableId, { columns: base, bytes: 0, rows: null, pages: 0, keyRange: null, ...source }]),
    ),
    destination: new Map(entries.map(([table, , destination]) => [table.tableId, destination ?? base])),
  }
}

describe('planCopyUnits', () => {
  test('splits a large keyed table into open-ended key ranges and queues the largest units first', () => {
    const big = selected('big', 'id')
    const small = selected('small', 'id')
    const plan = planCopyUnits(
      [big, small],
      facts([
        [big, { bytes: 4000, rows: 400, keyRange: { min: '1', max: '100' } }],
        [small, { bytes: 1500 }],
      ]),
      { splitLargerThanBytes: 1000 },
    )
    assert.deepEqual(
      plan.units.map((unit) => [unit.id, unit.sourcePredicate, unit.destinationPredicate, unit.estimatedBytes]),
      [
        ['table:public.small', null, null, 1500],
        ['table:public.big#1/4', 'id < 26', 'id < 26', 1000],
        ['table:public.big#2/4', 'id >= 26 AND id < 51', 'id >= 26 AND id < 51', 1000],
        ['table:public.big#3/4', 'id >= 51 AND id < 76', 'id >= 51 AND id < 76', 1000],
        ['table:public.big#4/4', 'id >= 76', 'id >= 76', 1000],
      ],
    )
  })

  test('bigint keys beyond 2^53 split exactly; a renamed key column is used on the destination side', () => {
    const table: TableToCopy = { ...selected('t', 'id'), columns: [{ source: 'id', destination: 'key' }, { source: 'v', destination: 'v' }] }
    const plan = planCopyUnits(
      [table],
      facts([[table, { bytes: 3000, keyRange: { min: '9007199254740993', max: '9007199254740995' } }, [column('key', 'integer'), column('v', 'text')]]]),
      { splitLargerThanBytes: 1000 },
    )
    assert.deepEqual(
      plan.units.map((unit) => [unit.sourcePredicate, unit.destinationPredicate]),
      [
        ['id < 9007199254740994', 'key < 9007199254740994'],
        ['id >= 9007199254740994 AND id < 9007199254740995', 'key >= 9007199254740994 AND key < 9007199254740995'],
        ['id >= 9007199254740995', 'key >= 9007199254740995'],
      ],
    )
  })

  test('a table without a usable key splits by heap pages, with no destination predicate', () => {
    const heap = selected('heap', null)
    const plan = planCopyUnits([heap], facts([[heap, { bytes: 3000, pages: 10 }]]), { splitLargerThanBytes: 1000 })
    assert.equal(plan.tables[0]?.split, 'pages')
    assert.deepEqual(
      plan.units.map((unit) => [unit.sourcePredicate, unit.destinationPredicate]),
      [
        ["ctid < '(3,0)'", null],
        ["ctid >= '(3,0)' AND ctid < '(6,0)'", null],
        ["ctid >= '(6,0)'", null],
      ],
    )
  })

  test('casts only where types differ, without length typmods; generated destination columns are left out', () => {
    const table = selected('t', null, ['id', 'v', 'c', 'g'])
    const plan = planCopyUnits(
      [table],
      facts([
        [
          table,
          {
            bytes: 10,
            columns: [column('id', 'integer'), column('v', 'text', { typeOid: 25 }), column('c', 'text', { typeOid: 25 }), column('g', 'integer')],
          },
          [
            column('id', 'bigint', { typeOid: 20 }),
            column('v', 'character varying(3)', { typeOid: 1043 }),
            column('c', 'text', { typeOid: 25 }),
            column('g', 'integer', { generated: true }),
          ],
        ],
      ]),
      { splitLargerThanBytes: 1000 },
    )
    assert.deepEqual(
      plan.tables[0]?.columns.map((entry) => entry.expression),
      ['id::bigint', 'v::character varying', 'c'],
    )
  })

  test('user-defined types without portable binary form, or differing between sides, travel as text', () => {
    const table = selected('t', null, ['id', 'v'])
    const composite = column('v', 'public.pair', { builtin: false, binary: false, typeName: 'pair', typeOid: 16400 })
    const plan = planCopyUnits(
      [table],
      {
        source: new Map([[table.tableId, { columns: [column('id', 'integer'), composite], bytes: 1, rows: 1, pages: 1, keyRange: null }]]),
        destination: new Map([[table.tableId, [column('id', 'integer'), { ...composite, type: 'eu.pair', typeOid: 17000 }]]]),
      },
      { splitLargerThanBytes: 1000 },
    )
    assert.equal(plan.tables[0]?.format, 'text')
    assert.match(plan.tables[0]?.textReason ?? '', /^v: type public\.pair has no portable binary form on the source/)
    assert.deepEqual(plan.tables[0]?.columns.map((entry) => entry.expression), ['id', 'v'])
  })
})

// a binary COPY stream: signature, flags, a header extension, tuples, trailer
function binaryCopy(tuples: (Buffer | null)[][], extension = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(4)]
  const length = Buffer.alloc(4)
  length.writeInt32BE(extension.length)
  parts.push(length, extension)
  for (const tuple of tuples) {
    const count = Buffer.alloc(2)
    count.writeInt16BE(tuple.length)
    parts.push(count)
    for (const field of tuple) {
      const size = Buffer.alloc(4)
      size.writeInt32BE(field === null ? -1 : field.length)
      parts.push(size)
      if (field !== null) parts.push(field)
    }
  }
  parts.push(Buffer.from([0xff, 0xff]))
  return Buffer.concat(parts)
}

// CopyData messages as the server sends them, one per row
function framed(payloads: readonly Buffer[]): Buffer {
  return Buffer.concat(
    payloads.map((payload) => {
      const header = Buffer.alloc(5)
      header[0] = 0x64
      header.writeUInt32BE(payload.length + 4, 1)
      return Buffer.concat([header, payload])
    }),
  )
}

describe('CopyRowCounter', () => {
  test('counts binary rows from the message framing whatever the chunk boundaries; the trailer is no row', () => {
    const whole = binaryCopy(
      [[Buffer.from('a'), null], [Buffer.alloc(70_000, 0xff), null], [], [null, null], [Buffer.alloc(0)]],
      Buffer.alloc(0),
    )
    // the server's messages: header with the first row, each row, the trailer alone
    const tuples: Buffer[] = []
    for (let at = 19; at < whole.length - 2; ) {
      let end = at + 2
      for (let field = whole.readInt16BE(at); field > 0; field--) end += 4 + Math.max(whole.readInt32BE(end), 0)
      tuples.push(whole.subarray(at, end))
      at = end
    }
    const [first, ...rest] = tuples
    const stream = framed([Buffer.concat([whole.subarray(0, 19), first as Buffer]), ...rest, Buffer.from([0xff, 0xff])])
    for (const size of [1, 2, 3, 5, 7, 64, 65_536, stream.length]) {
      const counter = new CopyRowCounter('binary')
      for (let at = 0; at < stream.length; at += size) counter.push(stream.subarray(at, at + size))
      assert.equal(counter.rows, 5, `chunks of ${size} bytes`)
      assert.equal(counter.dataBytes, whole.length)
    }
    const empty = new CopyRowCounter('binary')
    empty.push(framed([binaryCopy([], Buffer.alloc(0))]))
    assert.equal(empty.rows, 0, 'header and trailer alone')
  })

  test('counts text rows, one per message', () => {
    const counter = new CopyRowCounter('text')
    const stream = framed([Buffer.from('1\ta\\nb\n'), Buffer.from('2\t\\N\n'), Buffer.from('3\tc\n')])
    counter.push(stream.subarray(0, 9))
    counter.push(stream.subarray(9))
    assert.equal(counter.rows, 3)
  })
})

describe('TokenBucket', () => {
  test('lets one second of tokens through at once, then makes takers wait out their debt', () => {
    let now = 0
    const bucket = new TokenBucket(1000, () => now)
    assert.equal(bucket.take(1000), 0)
    assert.equal(bucket.take(500), 500)
    now += 1000
    // 1000 tokens came in, 500 paid the debt
    assert.equal(bucket.take(500), 0)
    assert.equal(bucket.take(250), 250)
    assert.equal(new TokenBucket(0, () => now).take(1e9), 0, '0 means unlimited')
  })
})
