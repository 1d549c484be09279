/**
 * How PostgreSQL classes a function: only immutable ones are accepted in the publication row
 * filters that incremental migration uses. `overloaded` functions are immutable for some argument
 * types and stable for others (`date_trunc` on timestamp vs timestamptz).
 */
export type Volatility = 'immutable' | 'stable' | 'overloaded'

/**
 * Built-in functions a row filter may call: free of side effects, so a filter can only read the
 * row. Anything else (`pg_sleep`, `set_config`, `nextval`, `dblink*`, `lo_*`...) is refused.
 */
export const WHERE_FUNCTIONS: ReadonlyMap<string, Volatility> = new Map([
  // text
  ...immutable('lower', 'upper', 'initcap', 'length', 'char_length', 'character_length'),
  ...immutable('octet_length', 'bit_length', 'btrim', 'ltrim', 'rtrim', 'substring', 'substr'),
  ...immutable('position', 'strpos', 'left', 'right', 'replace', 'split_part', 'starts_with'),
  ...immutable('lpad', 'rpad', 'reverse', 'repeat', 'translate', 'overlay', 'ascii', 'chr'),
  ...immutable('regexp_replace', 'regexp_like', 'regexp_count', 'regexp_instr', 'regexp_substr'),
  ...immutable('regexp_match', 'similar_to_escape', 'normalize', 'is_normalized', 'to_hex'),
  ...immutable('quote_ident', 'quote_literal', 'quote_nullable', 'encode', 'decode'),
  ...immutable('md5', 'sha224', 'sha256', 'sha384', 'sha512'),
  ...stable('concat', 'concat_ws', 'format', 'to_char', 'to_number'),
  // numbers
  ...immutable('abs', 'round', 'floor', 'ceil', 'ceiling', 'trunc', 'mod', 'div', 'sign'),
  ...immutable('sqrt', 'cbrt', 'power', 'exp', 'ln', 'log', 'log10', 'gcd', 'lcm'),
  ...immutable('width_bucket', 'degrees', 'radians'),
  // date and time
  ...overloaded('date_trunc', 'date_part', 'extract', 'age', 'timezone', 'to_timestamp'),
  ...stable('now', 'statement_timestamp', 'transaction_timestamp', 'make_timestamptz', 'to_date'),
  ...immutable('make_date', 'make_time', 'make_timestamp', 'make_interval', 'date_bin'),
  ...immutable('justify_days', 'justify_hours', 'justify_interval', 'isfinite', 'overlaps'),
  // json
  ...immutable('jsonb_typeof', 'json_typeof', 'jsonb_array_length', 'json_array_length'),
  ...immutable('jsonb_extract_path', 'jsonb_extract_path_text', 'json_extract_path'),
  ...immutable('json_extract_path_text', 'jsonb_path_exists', 'jsonb_path_match'),
  ...stable('to_json', 'to_jsonb'),
  // arrays and ranges
  ...immutable('array_length', 'cardinality', 'array_position', 'array_lower', 'array_upper'),
  ...immutable('array_ndims', 'array_dims', 'lower_inc', 'upper_inc', 'lower_inf', 'upper_inf'),
  ...immutable('isempty'),
  ...stable('array_to_string'),
  // other
  ...immutable('num_nulls', 'num_nonnulls', 'host', 'family', 'masklen', 'network', 'broadcast'),
  ...immutable('uuid_extract_version', 'uuid_extract_timestamp'),
])

/** Aggregates named in a clearer error than "not allowed". */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'bool_and', 'bool_or', 'every',
  'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg', 'bit_and', 'bit_or', 'bit_xor',
  'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'corr', 'covar_pop',
  'covar_samp', 'mode', 'percentile_cont', 'percentile_disc', 'rank', 'dense_rank', 'any_value',
])

function immutable(...names: string[]): [string, Volatility][] {
  return names.map((name) => [name, 'immutable'])
}

function stable(...names: string[]): [string, Volatility][] {
  return names.map((name) => [name, 'stable'])
}

function overloaded(...names: string[]): [string, Volatility][] {
  return names.map((name) => [name, 'overloaded'])
}
