/**
 * A test spec: the header naming the migration, endpoints read from `${SOURCE_URL}` and
 * `${TARGET_URL}`, then `body` (types, objects, options...).
 */
export function specText(name: string, body: string): string {
  return [
    'apiVersion: pgshift/v1',
    'kind: Migration',
    `metadata: { name: ${name} }`,
    'source: { url: "${SOURCE_URL}" }',
    'destination: { url: "${TARGET_URL}" }',
    body,
    '',
  ].join('\n')
}
