const MAX_LENGTH = 40

/**
 * The spec's `metadata.name` for a file name: `0003-orders` → `orders`. The name has to start
 * with a letter (it names a replication slot), so the numbering prefix that orders the files
 * is dropped, as in the example project's `0002-sales-to-eu.yaml` → `sales-to-eu`.
 */
export function metadataNameFor(fileName: string): string | undefined {
  const name = fileName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-{2,}/g, '-')
    .slice(0, MAX_LENGTH)
    .replace(/[-_]+$/, '')
  return name === '' ? undefined : name
}
