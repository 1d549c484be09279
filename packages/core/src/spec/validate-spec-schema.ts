import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv from 'ajv'
import type { ErrorObject, ValidateFunction } from 'ajv'

/** Where the published JSON Schema of spec v1 lives (the source of truth for the spec's shape). */
export const SPEC_SCHEMA_PATH = join(__dirname, '..', '..', 'schema', 'pgshift-v1.schema.json')

let compiled: ValidateFunction | undefined

/** The JSON Schema of spec v1, as published for editors. */
export function readSpecSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SPEC_SCHEMA_PATH, 'utf8')) as Record<string, unknown>
}

/**
 * Validates plain data against the spec schema and returns every error (none when valid).
 * The schema is compiled on first use, once per process.
 */
export function validateSpecSchema(data: unknown): readonly ErrorObject[] {
  compiled ??= new Ajv({
    allErrors: true,
    strict: true,
    // sizes are `integer | string`
    allowUnionTypes: true,
    // messages quote the offending value and read the schema's limits
    verbose: true,
  }).compile(readSpecSchema())
  return compiled(data) ? [] : (compiled.errors ?? [])
}
