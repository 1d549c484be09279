import { withClient } from './test-databases.js'

/** Every sequence's last value outside pgshift's own schema, by qualified name. */
export async function sequenceValues(url: string): Promise<Record<string, string | null>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string; value: string | null }>(
      `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS value
         FROM pg_sequences WHERE schemaname <> 'pgshift' ORDER BY 1`,
    )
    return Object.fromEntries(rows.map((row) => [row.name, row.value]))
  })
}
