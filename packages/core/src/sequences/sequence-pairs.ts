import { quoteLiteral, quoteQualifiedName } from '@pgshift/schema-diff'
import type { SchemaModel } from '@pgshift/schema-diff'
import type { MigrationSpec } from '../spec/index.js'

/**
 * One migrated sequence: the SQL expression naming it (a regclass) on each side. Identity
 * sequences are found through their column, since a renamed table keeps the sequence name
 * PostgreSQL gave it, which pgshift does not choose.
 */
export interface SequencePair {
  /** `sales.orders_id_seq`, or `sales.orders.id` for an identity column: for messages. */
  readonly label: string
  /** An SQL expression of type regclass on the source. */
  readonly source: string
  /** An SQL expression of type regclass on the destination. */
  readonly destination: string
}

/**
 * The sequences the migration carries, from the scoped source model: stand-alone and SERIAL
 * sequences (schema renamed as the spec says) and every identity column of a migrated table.
 * Sorted by label. Pure.
 */
export function sequencePairs(spec: MigrationSpec, scopedSource: SchemaModel): SequencePair[] {
  const schemaOf = (schema: string) =>
    spec.objects?.find((entry) => entry.schema === schema)?.destinationSchema ?? schema
  const tableSpec = (schema: string, name: string) =>
    spec.objects?.find((entry) => entry.schema === schema)?.tables?.find((table) => table.name === name)
  const pairs: SequencePair[] = scopedSource.sequences.map((sequence) => ({
    label: quoteQualifiedName(sequence.schema, sequence.name),
    source: `${quoteLiteral(quoteQualifiedName(sequence.schema, sequence.name))}::regclass`,
    destination: `${quoteLiteral(quoteQualifiedName(schemaOf(sequence.schema), sequence.name))}::regclass`,
  }))
  for (const table of scopedSource.tables) {
    const mapped = tableSpec(table.schema, table.name)
    for (const column of table.columns) {
      if (column.identity === null || column.inherited || mapped?.columns.exclude.includes(column.name)) continue
      const destinationTable = quoteQualifiedName(schemaOf(table.schema), mapped?.destinationName ?? table.name)
      const destinationColumn = mapped?.columns.rename[column.name] ?? column.name
      pairs.push({
        label: `${quoteQualifiedName(table.schema, table.name)}.${column.name}`,
        source: serialSequence(quoteQualifiedName(table.schema, table.name), column.name),
        destination: serialSequence(destinationTable, destinationColumn),
      })
    }
  }
  return pairs.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
}

function serialSequence(table: string, column: string): string {
  return `pg_get_serial_sequence(${quoteLiteral(table)}, ${quoteLiteral(column)})::regclass`
}
