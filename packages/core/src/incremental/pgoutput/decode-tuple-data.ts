import type { ByteReader } from './byte-reader.js'
import { PgoutputDecodeError, describeByte } from './pgoutput-decode-error.js'
import type { Tuple, TupleValue } from './pgoutput-message.js'

// shared: a 100k-row transaction need not allocate one object per NULL
const NULL_VALUE: TupleValue = Object.freeze({ kind: 'null' })
const UNCHANGED_TOAST_VALUE: TupleValue = Object.freeze({ kind: 'unchanged_toast' })

/** Reads a TupleData: Int16 column count, then per column a kind byte and maybe a value. */
export function decodeTupleData(reader: ByteReader): Tuple {
  const count = reader.int16()
  const values: TupleValue[] = new Array<TupleValue>(count)
  for (let index = 0; index < count; index++) {
    const kind = reader.uint8()
    switch (kind) {
      case 0x6e: // 'n'
        values[index] = NULL_VALUE
        break
      case 0x75: // 'u'
        values[index] = UNCHANGED_TOAST_VALUE
        break
      case 0x74: // 't'
        values[index] = { kind: 'text', text: reader.text(reader.int32()) }
        break
      case 0x62: // 'b'
        values[index] = { kind: 'binary', bytes: reader.bytes(reader.int32()) }
        break
      default:
        throw new PgoutputDecodeError(
          'UNKNOWN_TUPLE_KIND',
          `unknown pgoutput tuple value kind ${describeByte(kind)} in column ${index + 1} of ${count}`,
          kind,
        )
    }
  }
  return values
}
