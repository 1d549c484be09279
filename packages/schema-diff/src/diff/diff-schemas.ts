import type { SchemaModel } from '../model/schema-model.js'
import { diffCollations } from './diff-collations.js'
import { DiffContext } from './diff-context.js'
import { diffExtensions } from './diff-extensions.js'
import { diffFunctions } from './diff-functions.js'
import { diffNamespaces } from './diff-namespaces.js'
import type { DiffOptions } from './diff-options.js'
import { diffSequences } from './diff-sequences.js'
import { diffTables } from './diff-tables.js'
import { diffTypes } from './diff-types.js'
import { diffViews } from './diff-views.js'
import type { Operation } from './operation.js'
import { orderOperations } from './order-operations.js'
import { planReplacements } from './plan-replacements.js'

/**
 * The operations that turn the schema `from` (the destination as it is) into `to` (what it must
 * become), ordered by dependencies and split into pre-data and post-data. Pure: no I/O, and the
 * same models (in any array order) always give the same operations.
 *
 * Objects are matched by id; columns, constraints, indexes, triggers and policies by name
 * within their table. Every operation carries its hazards; with `lockAware` the operations on
 * existing tables avoid long locks (see {@link DiffOptions}).
 *
 * @example
 * const operations = diffSchemas(destinationModel, sourceModel, { lockAware: true })
 * process.stdout.write(renderScript(operations))
 */
export function diffSchemas(
  from: SchemaModel,
  to: SchemaModel,
  options: DiffOptions = {},
): Operation[] {
  const ctx = new DiffContext(from, to, options)
  planReplacements(ctx)
  diffNamespaces(ctx)
  diffExtensions(ctx)
  diffCollations(ctx)
  diffTypes(ctx)
  diffSequences(ctx)
  diffFunctions(ctx)
  diffTables(ctx)
  diffViews(ctx)
  return orderOperations(ctx.planned, ctx.from)
}
