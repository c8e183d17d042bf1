import type { ScalarFunction } from './scalar.js';

/**
 * Catalog entries for the less common array, bag, text and network functions (kept apart from
 * scalar.ts so that file stays small). Same shape and rules as SCALAR_FUNCTIONS; each id is
 * lowered per dialect (DuckDB: src/sql/dialects/duckdb/arrays.ts, network.ts).
 */
const f = (
  names: string | string[],
  minArgs: number,
  maxArgs: number,
  returns: ScalarFunction['returns'],
  extra: Partial<ScalarFunction> = {},
): ScalarFunction => {
  const list = Array.isArray(names) ? names : [names];
  return { id: list[0]!, names: list, minArgs, maxArgs, returns, ...extra };
};

const MANY = 64;

export const EXTRA_SCALAR_FUNCTIONS: ScalarFunction[] = [
  // arrays and bags
  f('array_shift_left', 2, 3, 'dynamic'),
  f('array_shift_right', 2, 3, 'dynamic'),
  f('array_rotate_left', 2, 2, 'dynamic'),
  f('array_rotate_right', 2, 2, 'dynamic'),
  f('bag_zip', 2, 2, 'dynamic'),
  f('base64_encode_fromarray', 1, 1, 'string'),
  // network
  f('ipv4_netmask_suffix', 1, 1, 'long', { mayBeNull: true }),
  f('has_any_ipv4_prefix', 2, MANY, 'bool'),
  f('ipv4_range_to_cidr_list', 2, 2, 'dynamic'),
  f('dynamic_to_json', 1, 1, 'string'),
  // sketches (results of hll() and tdigest(); see src/sql/dialects/duckdb/sketches.ts)
  f('dcount_hll', 1, 1, 'long'),
  f('hll_merge', 2, MANY, 'dynamic'),
  f(['merge_tdigest', 'tdigest_merge'], 2, MANY, 'dynamic'),
  // The result type is the typeof() argument's, else dynamic (bind-expr reads the literal).
  f('percentile_tdigest', 2, 3, 'dynamic', { mayBeNull: true }),
  f('percentiles_array_tdigest', 2, MANY, 'dynamic', { mayBeNull: true }),
];
