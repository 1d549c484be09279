import type { Hazard } from './operation.js'

// One builder per hazard code, so that messages read alike across the diff.

/** The operation deletes data (rows, a column's values, labels still in use). */
export function destructive(message: string): Hazard {
  return { code: 'destructive', message }
}

/** The operation rewrites the whole table (and its indexes) under an ACCESS EXCLUSIVE lock. */
export function rewrite(message: string): Hazard {
  return { code: 'rewrite', message }
}

/** The operation blocks the table's readers or writers while it scans or builds. */
export function locks(message: string): Hazard {
  return { code: 'locks', message }
}

/** The type change may fail on existing values or lose information. */
export function unsafeCast(message: string): Hazard {
  return { code: 'unsafe-cast', message }
}
