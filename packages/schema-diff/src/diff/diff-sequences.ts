import type { SequenceDef } from '../model/schema-model.js'
import { changedSequenceOptions } from './diff-columns.js'
import type { DiffContext } from './diff-context.js'
import { diffComment } from './diff-comments.js'
import type { SequenceOptions } from './operation.js'
import { parseObjectId } from './parse-object-id.js'
import { Rank } from './planned-operation.js'

/**
 * Sequences: CREATE / ALTER / DROP SEQUENCE and OWNED BY. OWNED BY is set after the owning
 * table (and column) exist; a sequence owned by a table or column that goes is dropped with
 * it, or released first (OWNED BY NONE) when it stays.
 */
export function diffSequences(ctx: DiffContext): void {
  for (const [id, sequence] of ctx.from.sequences) {
    const next = ctx.to.sequences.get(id)
    const ownerGoes = sequence.ownedBy !== null && ownerIsDropped(ctx, sequence.ownedBy)
    if (!next) {
      // DROP TABLE / DROP COLUMN takes the sequences it owns along.
      if (ownerGoes) continue
      ctx.emit(
        { kind: 'drop_sequence', id, sequence: nameOf(sequence) },
        { phase: 'pre-data', role: 'drop', rank: Rank.sequence },
      )
      continue
    }
    if (ownerGoes) {
      const key = ctx.emit(
        {
          kind: 'alter_sequence_owned_by',
          id,
          sequence: nameOf(sequence),
          ownedBy: null,
          note: 'released from its owner first, so that dropping the owner does not drop it',
        },
        { phase: 'pre-data', role: 'alter', rank: Rank.ownedBy, removes: true },
      )
      ctx.remember(ctx.ownedByReleases, sequence.ownedBy!.table, key)
    }
  }
  for (const [id, sequence] of ctx.to.sequences) {
    const before = ctx.from.sequences.get(id)
    if (!before) {
      ctx.emit(
        { kind: 'create_sequence', id, sequence: nameOf(sequence), options: optionsOf(sequence) },
        {
          phase: 'pre-data',
          role: 'create',
          rank: Rank.sequence,
          needs: ctx.to.dependenciesOf(id),
        },
      )
    } else {
      const options = changedSequenceOptions(optionsOf(before), optionsOf(sequence))
      if (Object.keys(options).length > 0) {
        ctx.emit(
          { kind: 'alter_sequence', id, sequence: nameOf(sequence), options },
          { phase: 'pre-data', role: 'alter', rank: Rank.sequence },
        )
      }
    }
    const released = before?.ownedBy != null && ownerIsDropped(ctx, before.ownedBy)
    const currentOwner = before && !released ? before.ownedBy : null
    if (JSON.stringify(currentOwner) !== JSON.stringify(sequence.ownedBy)) {
      const owner = sequence.ownedBy
      const table = owner ? (ctx.to.tables.get(owner.table) ?? parseObjectId(owner.table)) : null
      ctx.emit(
        {
          kind: 'alter_sequence_owned_by',
          id,
          sequence: nameOf(sequence),
          ownedBy:
            owner && table
              ? { schema: table.schema, table: table.name, column: owner.column }
              : null,
        },
        {
          phase: 'pre-data',
          role: 'alter',
          rank: Rank.ownedBy,
          // Nothing needs OWNED BY, and waiting for it would tie the table to its own sequence.
          isPrerequisite: false,
          needs: owner ? [owner.table] : [],
        },
      )
    }
    const target = { kind: 'sequence', schema: sequence.schema, name: sequence.name } as const
    diffComment(ctx, id, 'pre-data', target, before?.comment, sequence.comment)
  }
}

function ownerIsDropped(ctx: DiffContext, owner: NonNullable<SequenceDef['ownedBy']>): boolean {
  const next = ctx.to.tables.get(owner.table)
  if (!next || ctx.recreatedTables.has(owner.table)) return ctx.from.tables.has(owner.table)
  if (ctx.readdedColumns.has(`${owner.table}\0${owner.column}`)) return true
  return !next.columns.some((column) => column.name === owner.column)
}

function optionsOf(sequence: SequenceDef): SequenceOptions {
  const { dataType, start, increment, min, max, cache, cycle } = sequence
  return { dataType, start, increment, min, max, cache, cycle }
}

function nameOf(sequence: SequenceDef): { schema: string; name: string } {
  return { schema: sequence.schema, name: sequence.name }
}
