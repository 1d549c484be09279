import type { ObjectId, SchemaModel } from '../model/schema-model.js'
import { DEFAULT_LOCK_TIMEOUT_MS } from './diff-options.js'
import type { DiffOptions } from './diff-options.js'
import { ModelIndex } from './model-index.js'
import type { Hazard, Operation, Phase } from './operation.js'
import type { PlannedOperation } from './planned-operation.js'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** An operation before the diff fills in its phase and defaults. */
export type OperationDraft = DistributiveOmit<
  Operation,
  'phase' | 'hazards' | 'transactional' | 'lockTimeoutMs' | 'note'
> & {
  readonly hazards?: readonly Hazard[]
  readonly transactional?: boolean
  readonly note?: string | null
}

/** Where an operation goes in the order. */
export interface EmitOptions {
  readonly phase: Phase
  readonly role: PlannedOperation['role']
  readonly rank: number
  /** Defaults to the operation's id. */
  readonly node?: ObjectId
  readonly removes?: boolean
  readonly isPrerequisite?: boolean
  readonly needs?: readonly ObjectId[]
  readonly after?: readonly number[]
  /**
   * The operation locks an object that exists in the destination (and may hold data): it gets
   * the lock_timeout.
   */
  readonly onExisting?: boolean
}

/** State shared by the per-kind diff functions: both models, the options, the operations so far. */
export class DiffContext {
  readonly from: ModelIndex
  readonly to: ModelIndex
  readonly lockAware: boolean
  readonly lockTimeoutMs: number | null
  /** Tables that are dropped and created again (kind or partition key changed). */
  readonly recreatedTables = new Set<ObjectId>()
  /** Objects whose dependents must go before they change (see plan-replacements). */
  readonly invalidated = new Set<ObjectId>()
  /** Views dropped and created again because something they depend on changes. */
  readonly forcedViews = new Set<ObjectId>()
  /** Foreign keys, `tableId\0name`, dropped and added again because what they reference changes. */
  readonly forcedForeignKeys = new Set<string>()
  /** Keys of operations that drop a table's unique constraints or indexes, by table id. */
  readonly uniqueDrops = new Map<ObjectId, number[]>()
  /** Keys of drop_constraint operations of foreign keys, by the table they reference. */
  readonly foreignKeyDrops = new Map<ObjectId, number[]>()
  /** alter_column_type keys of columns moved to a replaced type, by `tableId\0column`. */
  readonly retypedColumns = new Map<string, number>()
  /** Columns dropped and added again (an unalterable generated expression), `tableId\0column`. */
  readonly readdedColumns = new Set<string>()
  /** Keys of drop_column operations of re-added columns, by `tableId\0column`. */
  readonly readdDrops = new Map<string, number>()
  /** Keys of OWNED BY NONE operations that must precede dropping a table, by table id. */
  readonly ownedByReleases = new Map<ObjectId, number[]>()
  /** Keys of operations that must precede dropping a table, by table id. */
  readonly beforeTableDrop = new Map<ObjectId, number[]>()
  /** Partitions created or attached here: their parent's indexes reach them by themselves. */
  readonly newPartitions = new Set<ObjectId>()
  readonly #planned: (PlannedOperation & { after: number[] })[] = []

  constructor(from: SchemaModel, to: SchemaModel, options: DiffOptions) {
    this.from = new ModelIndex(from)
    this.to = new ModelIndex(to)
    this.lockAware = options.lockAware ?? false
    this.lockTimeoutMs = options.lockTimeoutMs ?? (this.lockAware ? DEFAULT_LOCK_TIMEOUT_MS : null)
  }

  /** The destination's server_version_num: what the DDL must run on. */
  get serverVersion(): number {
    return this.from.model.serverVersion
  }

  /** Whether the object exists in the destination and survives this diff (is not recreated). */
  isKept(id: ObjectId): boolean {
    return this.from.has(id) && this.to.has(id) && !this.recreatedTables.has(id)
  }

  /** Remembers `key` under `id` in one of the key lists above. */
  remember(map: Map<ObjectId, number[]>, id: ObjectId, key: number): void {
    const list = map.get(id) ?? []
    list.push(key)
    map.set(id, list)
  }

  /** Adds an operation; returns its key for `after` edges. */
  emit(draft: OperationDraft, options: EmitOptions): number {
    const key = this.#planned.length
    const operation = {
      ...draft,
      phase: options.phase,
      hazards: draft.hazards ?? [],
      transactional: draft.transactional ?? true,
      lockTimeoutMs: options.onExisting === true ? this.lockTimeoutMs : null,
      note: draft.note ?? null,
    } as Operation
    this.#planned.push({
      key,
      operation: orderKeys(operation),
      node: options.node ?? draft.id,
      role: options.role,
      removes: options.removes ?? false,
      isPrerequisite: options.isPrerequisite ?? options.role !== 'drop',
      rank: options.rank,
      needs: options.needs ?? [],
      after: [...(options.after ?? [])],
    })
    return key
  }

  /** Makes operation `key` come after the operations `before`. */
  addEdges(key: number, before: readonly number[]): void {
    this.#planned[key]?.after.push(...before)
  }

  /** Every operation emitted so far, in emission order. */
  get planned(): readonly PlannedOperation[] {
    return this.#planned
  }
}

// kind, id, phase first, then the operation's own fields, then the shared ones: plans read alike.
function orderKeys(operation: Operation): Operation {
  const { kind, id, phase, hazards, transactional, lockTimeoutMs, note, ...rest } = operation
  return { kind, id, phase, ...rest, hazards, transactional, lockTimeoutMs, note } as Operation
}
