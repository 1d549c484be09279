import { NameRenamer, printRenamedTree, quoteIdentifier, RenameError, renameConstraintTree } from '@pgshift/schema-diff'
import type { SourceRelation } from '@pgshift/schema-diff'
import type { CapturedDdl, CapturedTable, SourceTableName } from './captured-ddl.js'
import type { DdlScope } from './ddl-scope.js'
import type { AstNode } from './ddl-syntax.js'
import type { DdlApply, DdlIgnore } from './ddl-translation.js'
import { UnsupportedDdlError } from './unsupported-ddl-error.js'

/** One captured statement being translated: what the translators of each statement kind share. */
export class DdlContext {
  readonly renamer: NameRenamer
  readonly notes: string[] = []

  constructor(
    readonly captured: CapturedDdl,
    readonly scope: DdlScope,
    /** The statement's own text within the query string. */
    readonly statementText: string,
  ) {
    // expressions name columns unqualified: only those the mapping changes need to be known
    this.renamer = NameRenamer.forRelations(
      scope.tables().map((table) => ({
        schema: table.schema,
        name: table.name,
        columns: [...table.columns.exclude, ...Object.keys(table.columns.rename)],
      })),
      scope.nameMapping(),
    )
  }

  unsupported(reason: string): UnsupportedDdlError {
    return new UnsupportedDdlError(this.statementText, reason, this.captured.id)
  }

  ignore(reason: string): DdlIgnore {
    return { kind: 'ignore', reason }
  }

  /** The renamer's view of a source table (mapping included), or undefined when it is not selected. */
  relation(table: SourceTableName): SourceRelation | undefined {
    return this.scope.table(table.schema, table.name) === undefined
      ? undefined
      : this.renamer.resolve(table.schema, table.name)
  }

  /**
   * The captured table of the statement's main command: the one whose command tag is the
   * statement's own (a CREATE TABLE's sub-commands create sequences and indexes too).
   */
  mainTable(objectTypes?: readonly string[]): CapturedTable {
    const command = this.captured.commands.find(
      (candidate) =>
        candidate.commandTag === this.captured.commandTag &&
        (objectTypes === undefined || objectTypes.includes(candidate.objectType)) &&
        candidate.table !== null,
    )
    if (command?.table == null) throw this.unsupported('the capture did not record the table it changed')
    return command.table
  }

  /**
   * Qualifies, in place, a RangeVar that names `table`, checking that it does: the capture knows
   * the table's schema (the statement may rely on search_path).
   */
  qualifyTarget(range: Record<string, unknown>, table: SourceTableName): void {
    if (range['relname'] !== table.name || (range['schemaname'] !== undefined && range['schemaname'] !== table.schema)) {
      throw this.unsupported(
        `the statement found in the query string names ${String(range['relname'])}, the capture saw ${table.schema}.${table.name} ` +
          '(DDL run by a function or a DO block is not replayed)',
      )
    }
    range['schemaname'] = table.schema
  }

  /**
   * Qualifies, in place, the table a foreign key of `table` references, from the tables the
   * capture saw its foreign keys reference (resolved by search_path order when the name is
   * unqualified), and requires that the migration moves it.
   */
  qualifyReferenced(constraint: Record<string, unknown>, table: CapturedTable, creating: SourceTableName | null): void {
    const pktable = constraint['pktable'] as Record<string, unknown> | undefined
    if (pktable === undefined) return
    const name = pktable['relname'] as string
    let schema = pktable['schemaname'] as string | undefined
    if (schema === undefined) {
      const candidates = table.references.filter((reference) => reference.name === name)
      const order = (candidate: SourceTableName) => {
        const index = this.captured.searchPathSchemas.indexOf(candidate.schema)
        return index < 0 ? Number.MAX_SAFE_INTEGER : index
      }
      schema = candidates.sort((a, b) => order(a) - order(b))[0]?.schema
      if (schema === undefined) throw this.unsupported(`cannot tell which table ${name} the foreign key references`)
      pktable['schemaname'] = schema
    }
    const isItself = creating !== null && creating.schema === schema && creating.name === name
    if (!isItself && this.scope.table(schema, name) === undefined) {
      throw this.unsupported(`the foreign key references ${schema}.${name}, which the migration does not move`)
    }
  }

  /** Renames a Constraint node of `relation` in place; its excluded columns, if any. */
  renameConstraint(constraint: Record<string, unknown>, relation: SourceRelation | undefined): readonly string[] {
    return renameConstraintTree(constraint, relation, this.renamer).excludedColumns
  }

  /** The destination statements for a renamed statement tree, search_path first. */
  apply(statements: readonly (AstNode | string)[], tables: readonly SourceTableName[], scope: DdlScope): DdlApply {
    const sql = statements.map((statement) => {
      if (typeof statement === 'string') return statement
      try {
        return printRenamedTree(statement)
      } catch (error) {
        if (error instanceof RenameError) throw this.unsupported(error.message)
        throw error
      }
    })
    return { kind: 'apply', statements: [this.searchPathStatement(), ...sql], tables, scope, notes: this.notes }
  }

  // unqualified type and function names resolve on the destination as they did on the source
  searchPathStatement(): string {
    const schemas = this.captured.searchPathSchemas
      .filter((schema) => !schema.startsWith('pg_temp'))
      .map((schema) => quoteIdentifier(this.scope.destinationSchema(schema)))
    return `SET LOCAL search_path TO ${schemas.length === 0 ? 'pg_catalog' : schemas.join(', ')}`
  }
}
