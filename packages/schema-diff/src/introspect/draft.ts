import type { ObjectBase } from '../model/schema-model.js'

/** Omit that keeps a union's members apart (TypeDef stays a discriminated union). */
export type WithoutDependencies<T extends ObjectBase> = T extends unknown ? Omit<T, 'dependsOn'> : never

/**
 * A top-level object as its family query produced it: everything but `dependsOn`, which needs
 * every family's ids first, and the catalog oid that pg_depend rows name it by.
 */
export interface Draft<T extends ObjectBase> {
  readonly oid: number
  readonly def: WithoutDependencies<T>
}
