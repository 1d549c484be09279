export { sequencePairs } from './sequence-pairs.js'
export type { SequencePair } from './sequence-pairs.js'
export { readSequencePositions, syncSequences } from './sync-sequences.js'
export type { SequencePosition, SyncedSequence } from './sync-sequences.js'
