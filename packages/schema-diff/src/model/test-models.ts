// Builders of hand-made schema models for the diff's unit tests: every field gets the value an
// ordinary object has, so a test spells out only what it is about.

import { functionId, objectId } from './object-id.js'
import type {
  CollationDef,
  ColumnDef,
  CompositeAttributeDef,
  CompositeTypeDef,
  ConstraintDef,
  ConstraintKind,
  DomainTypeDef,
  EnumTypeDef,
  ExtensionDef,
  FunctionDef,
  IdentityDef,
  IndexDef,
  PolicyDef,
  RangeTypeDef,
  SchemaDef,
  SchemaModel,
  SequenceDef,
  TableDef,
  TriggerDef,
  ViewDef,
} from './schema-model.js'

export function model(parts: Partial<SchemaModel> = {}): SchemaModel {
  return {
    serverVersion: 150000,
    schemas: [schema('public')],
    extensions: [],
    collations: [],
    types: [],
    sequences: [],
    tables: [],
    views: [],
    functions: [],
    ...parts,
  }
}

export function schema(name: string, extra: Partial<SchemaDef> = {}): SchemaDef {
  return { id: objectId('schema', null, name), name, comment: null, ...extra }
}

export function extension(name: string, version = '1.0', extra: Partial<ExtensionDef> = {}): ExtensionDef {
  return { id: objectId('extension', null, name), name, schema: 'public', version, comment: null, ...extra }
}

export function collation(
  schemaName: string,
  name: string,
  extra: Partial<CollationDef> = {},
): CollationDef {
  return {
    id: objectId('collation', schemaName, name),
    schema: schemaName,
    name,
    comment: null,
    dependsOn: [],
    provider: 'icu',
    locale: 'und-u-ks-level2',
    lcCollate: null,
    lcCtype: null,
    deterministic: false,
    ...extra,
  }
}

export function enumType(
  schemaName: string,
  name: string,
  labels: readonly string[],
  extra: Partial<EnumTypeDef> = {},
): EnumTypeDef {
  return { ...objectBase('type', schemaName, name), kind: 'enum', labels, ...extra }
}

export function domainType(
  schemaName: string,
  name: string,
  baseType: string,
  extra: Partial<DomainTypeDef> = {},
): DomainTypeDef {
  return {
    ...objectBase('type', schemaName, name),
    kind: 'domain',
    baseType,
    notNull: false,
    default: null,
    collation: null,
    constraints: [],
    ...extra,
  }
}

export function compositeType(
  schemaName: string,
  name: string,
  attributes: readonly CompositeAttributeDef[],
  extra: Partial<CompositeTypeDef> = {},
): CompositeTypeDef {
  return { ...objectBase('type', schemaName, name), kind: 'composite', attributes, ...extra }
}

export function rangeType(
  schemaName: string,
  name: string,
  subtype: string,
  extra: Partial<RangeTypeDef> = {},
): RangeTypeDef {
  return {
    ...objectBase('type', schemaName, name),
    kind: 'range',
    subtype,
    subtypeOpclass: null,
    collation: null,
    canonical: null,
    subtypeDiff: null,
    multirangeName: `${name}_multirange`,
    ...extra,
  }
}

export function attribute(name: string, type: string, collationName: string | null = null): CompositeAttributeDef {
  return { name, type, collation: collationName }
}

export function sequence(schemaName: string, name: string, extra: Partial<SequenceDef> = {}): SequenceDef {
  return {
    ...objectBase('sequence', schemaName, name),
    dataType: 'bigint',
    start: '1',
    increment: '1',
    min: '1',
    max: '9223372036854775807',
    cache: '1',
    cycle: false,
    ownedBy: null,
    isSerial: false,
    ...extra,
  }
}

export function table(
  schemaName: string,
  name: string,
  columns: readonly ColumnDef[],
  extra: Partial<TableDef> = {},
): TableDef {
  return {
    ...objectBase('table', schemaName, name),
    kind: 'table',
    persistence: 'permanent',
    columns,
    partitionKey: null,
    partitionOf: null,
    inherits: [],
    storageParameters: [],
    replicaIdentity: 'default',
    rowSecurity: false,
    forceRowSecurity: false,
    constraints: [],
    indexes: [],
    triggers: [],
    policies: [],
    ...extra,
  }
}

export function column(name: string, type: string, extra: Partial<ColumnDef> = {}): ColumnDef {
  return {
    name,
    type,
    notNull: false,
    default: null,
    identity: null,
    generated: null,
    collation: null,
    storage: null,
    statistics: null,
    comment: null,
    inherited: false,
    ...extra,
  }
}

export function identity(sequenceName: string, extra: Partial<IdentityDef> = {}): IdentityDef {
  return {
    generation: 'always',
    sequenceName,
    start: '1',
    increment: '1',
    min: '1',
    max: '2147483647',
    cache: '1',
    cycle: false,
    ...extra,
  }
}

export function constraint(
  name: string,
  kind: ConstraintKind,
  definition: string,
  extra: Partial<ConstraintDef> = {},
): ConstraintDef {
  return {
    name,
    kind,
    definition,
    columns: [],
    references: null,
    deferrable: false,
    initiallyDeferred: false,
    validated: true,
    comment: null,
    ...extra,
  }
}

export function index(name: string, definition: string, extra: Partial<IndexDef> = {}): IndexDef {
  return {
    name,
    definition,
    unique: definition.startsWith('CREATE UNIQUE'),
    columns: [],
    keyCount: 1,
    method: 'btree',
    predicate: null,
    hasExpressions: false,
    valid: true,
    parentIndex: null,
    comment: null,
    ...extra,
  }
}

export function trigger(
  name: string,
  definition: string,
  fn: string,
  extra: Partial<TriggerDef> = {},
): TriggerDef {
  return { name, definition, enabled: 'O', isConstraint: false, function: fn, comment: null, ...extra }
}

export function policy(name: string, extra: Partial<PolicyDef> = {}): PolicyDef {
  return {
    name,
    permissive: true,
    command: 'ALL',
    roles: ['public'],
    using: null,
    withCheck: null,
    comment: null,
    ...extra,
  }
}

export function view(
  schemaName: string,
  name: string,
  definition: string,
  columns: readonly { name: string; type: string }[],
  extra: Partial<ViewDef> = {},
): ViewDef {
  return {
    ...objectBase('view', schemaName, name),
    kind: 'view',
    definition,
    columns,
    options: [],
    indexes: [],
    triggers: [],
    columnComments: {},
    ...extra,
  }
}

export function fn(
  schemaName: string,
  name: string,
  identityArguments: string,
  definition: string,
  extra: Partial<FunctionDef> = {},
): FunctionDef {
  return {
    id: functionId(schemaName, name, identityArguments),
    schema: schemaName,
    name,
    comment: null,
    dependsOn: [],
    kind: 'function',
    identityArguments,
    returns: 'integer',
    language: 'sql',
    definition,
    ...extra,
  }
}

function objectBase(kind: 'type' | 'sequence' | 'table' | 'view', schemaName: string, name: string) {
  return { id: objectId(kind, schemaName, name), schema: schemaName, name, comment: null, dependsOn: [] }
}

/**
 * A model with one of everything, names included that need quoting: the subject of the
 * determinism and "diff(x, x) is empty" tests.
 */
export function richModel(): SchemaModel {
  const mood = enumType('sales', 'mood', ['happy', 'sad'], { comment: 'how it went' })
  const positiveMood = domainType('sales', 'positive_mood', 'sales.mood', {
    dependsOn: [mood.id],
    constraints: [{ name: 'not_sad', definition: "CHECK ((VALUE <> 'sad'::sales.mood))", validated: true }],
  })
  const touch = fn(
    'sales',
    'touch',
    '',
    'CREATE OR REPLACE FUNCTION sales.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$begin return new; end$function$\n',
    { returns: 'trigger', language: 'plpgsql' },
  )
  const counter = sequence('sales', 'Order Items_seq', {
    ownedBy: { table: 'table:sales."Order Items"', column: 'id' },
    isSerial: true,
  })
  const customers = table(
    'sales',
    'customers',
    [
      column('id', 'bigint', { notNull: true, identity: identity('customers_id_seq') }),
      column('name', 'text', { notNull: true, collation: 'sales.nocase', comment: 'display name' }),
      column('favourite', 'bigint'),
      column('mood', 'sales.positive_mood'),
    ],
    {
      dependsOn: ['collation:sales.nocase', 'table:sales."Order Items"', positiveMood.id],
      constraints: [
        constraint('customers_pkey', 'primary_key', 'PRIMARY KEY (id)', { columns: ['id'] }),
        constraint(
          'customers_favourite_fkey',
          'foreign_key',
          'FOREIGN KEY (favourite) REFERENCES sales."Order Items"(id)',
          { columns: ['favourite'], references: 'table:sales."Order Items"' },
        ),
      ],
      rowSecurity: true,
      policies: [policy('own rows', { using: '(name = CURRENT_USER)', roles: ['public'] })],
    },
  )
  const items = table(
    'sales',
    'Order Items',
    [
      column('id', 'bigint', { notNull: true, default: "nextval('sales.\"Order Items_seq\"'::regclass)" }),
      column('customer_id', 'bigint', { notNull: true }),
      column('sElEcT', 'numeric(12,2)', { storage: 'external', statistics: 500 }),
      column('total 🚀', 'numeric(12,2)', { generated: '("sElEcT" * (2)::numeric)' }),
    ],
    {
      dependsOn: [counter.id, 'table:sales.customers', touch.id],
      comment: "it's quoted",
      storageParameters: ['fillfactor=70'],
      constraints: [
        constraint('Order Items_pkey', 'primary_key', 'PRIMARY KEY (id)', { columns: ['id'] }),
        constraint('items_customer_fkey', 'foreign_key', 'FOREIGN KEY (customer_id) REFERENCES sales.customers(id)', {
          columns: ['customer_id'],
          references: 'table:sales.customers',
        }),
        constraint('positive', 'check', 'CHECK (("sElEcT" > (0)::numeric))', { columns: ['sElEcT'] }),
      ],
      indexes: [
        index('items_customer', 'CREATE INDEX items_customer ON sales."Order Items" USING btree (customer_id)', {
          columns: ['customer_id'],
        }),
      ],
      triggers: [
        trigger(
          'touch',
          'CREATE TRIGGER touch BEFORE UPDATE ON sales."Order Items" FOR EACH ROW EXECUTE FUNCTION sales.touch()',
          touch.id,
          { enabled: 'A' },
        ),
      ],
    },
  )
  const events = table('sales', 'events', [column('at', 'date', { notNull: true }), column('what', 'text')], {
    kind: 'partitioned',
    partitionKey: 'RANGE (at)',
    indexes: [index('events_at', 'CREATE INDEX events_at ON ONLY sales.events USING btree (at)', { columns: ['at'] })],
  })
  const events2024 = table(
    'sales',
    'events_2024',
    [column('at', 'date', { notNull: true, inherited: true }), column('what', 'text', { inherited: true })],
    {
      dependsOn: [events.id],
      partitionOf: { parent: events.id, bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')" },
      indexes: [
        index('events_2024_at_idx', 'CREATE INDEX events_2024_at_idx ON sales.events_2024 USING btree (at)', {
          columns: ['at'],
          parentIndex: 'sales.events_at',
        }),
      ],
    },
  )
  const recent = view(
    'sales',
    'recent items',
    ' SELECT "Order Items".id,\n    "Order Items"."sElEcT"\n   FROM sales."Order Items";',
    [
      { name: 'id', type: 'bigint' },
      { name: 'sElEcT', type: 'numeric(12,2)' },
    ],
    { dependsOn: [items.id], columnComments: { id: 'the id' } },
  )
  const big = view('sales', 'big', ' SELECT "recent items".id\n   FROM sales."recent items";', [{ name: 'id', type: 'bigint' }], {
    kind: 'materialized',
    dependsOn: [recent.id],
    indexes: [index('big_id', 'CREATE UNIQUE INDEX big_id ON sales.big USING btree (id)', { columns: ['id'] })],
  })
  return model({
    schemas: [schema('public'), schema('sales', { comment: 'sales data' })],
    extensions: [extension('citext', '1.6')],
    collations: [collation('sales', 'nocase')],
    types: [
      mood,
      positiveMood,
      compositeType('sales', 'pair', [attribute('a', 'integer'), attribute('b', 'text')]),
      rangeType('sales', 'floatrange', 'double precision'),
    ],
    sequences: [counter],
    tables: [customers, items, events, events2024],
    views: [recent, big],
    functions: [touch],
  })
}
