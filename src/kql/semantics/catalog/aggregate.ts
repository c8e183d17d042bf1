import type { KqlScalarType } from '../types.js';
import { promoteNumeric } from '../types.js';

/**
 * Aggregation functions (summarize). `resultName` is Kusto's default column name when the user
 * does not name the result: `count()` → `count_`, `make_set(x)` → `set_x`, `dcount(x)` → `dcount_x`.
 */
export interface AggregateFunction {
  id: string;
  names: string[];
  minArgs: number;
  maxArgs: number;
  returns: (args: KqlScalarType[]) => KqlScalarType;
  /** Default column name given the first argument's column name ('' when it is not a column). */
  resultName: (argName: string) => string;
  /** Value of the aggregate over no rows when there is no `by` (null when not listed). */
  emptyValue?: 'zero' | 'emptyArray';
}

const agg = (
  names: string | string[],
  minArgs: number,
  maxArgs: number,
  returns: KqlScalarType | ((a: KqlScalarType[]) => KqlScalarType),
  resultName: (argName: string) => string,
  emptyValue?: 'zero' | 'emptyArray',
): AggregateFunction => {
  const list = Array.isArray(names) ? names : [names];
  const r = typeof returns === 'function' ? returns : () => returns;
  const a: AggregateFunction = { id: list[0]!, names: list, minArgs, maxArgs, returns: r, resultName };
  if (emptyValue) a.emptyValue = emptyValue;
  return a;
};

const prefixed = (p: string) => (arg: string) => (arg ? `${p}_${arg}` : `${p}_`);
const sumType = (a: KqlScalarType[]) => {
  const t = a[0] ?? 'long';
  if (t === 'int') return 'long';
  if (t === 'timespan') return 'timespan';
  return promoteNumeric(t, 'int') ?? 'real';
};

export const AGGREGATE_FUNCTIONS: AggregateFunction[] = [
  agg('count', 0, 1, 'long', (arg) => (arg ? `count_${arg}` : 'count_'), 'zero'),
  agg('countif', 1, 1, 'long', () => 'countif_', 'zero'),
  agg('dcount', 1, 2, 'long', prefixed('dcount'), 'zero'),
  agg('count_distinct', 1, 1, 'long', prefixed('count_distinct'), 'zero'),
  agg('dcountif', 2, 3, 'long', prefixed('dcountif'), 'zero'),
  agg('sum', 1, 1, sumType, prefixed('sum'), 'zero'),
  agg('sumif', 2, 2, sumType, prefixed('sumif'), 'zero'),
  agg('avg', 1, 1, 'real', prefixed('avg')),
  agg('avgif', 2, 2, 'real', prefixed('avgif')),
  agg('min', 1, 1, (a) => a[0] ?? 'long', prefixed('min')),
  agg('max', 1, 1, (a) => a[0] ?? 'long', prefixed('max')),
  agg('minif', 2, 2, (a) => a[0] ?? 'long', prefixed('minif')),
  agg('maxif', 2, 2, (a) => a[0] ?? 'long', prefixed('maxif')),
  agg(['take_any', 'any'], 1, 64, (a) => a[0] ?? 'string', prefixed('any')),
  agg('take_anyif', 2, 2, (a) => a[0] ?? 'string', prefixed('anyif')),
  agg(['make_set', 'makeset'], 1, 2, 'dynamic', prefixed('set'), 'emptyArray'),
  agg(['make_list', 'makelist'], 1, 2, 'dynamic', prefixed('list'), 'emptyArray'),
  agg('make_list_with_nulls', 1, 2, 'dynamic', prefixed('list'), 'emptyArray'),
  agg('make_set_if', 2, 3, 'dynamic', prefixed('set'), 'emptyArray'),
  agg('make_list_if', 2, 3, 'dynamic', prefixed('list'), 'emptyArray'),
  agg(['make_bag', 'make_dictionary'], 1, 2, 'dynamic', prefixed('bag'), 'emptyArray'),
  agg('make_bag_if', 2, 3, 'dynamic', prefixed('bag'), 'emptyArray'),
  agg(['arg_max', 'argmax'], 1, 64, (a) => a[0] ?? 'long', prefixed('max')),
  agg(['arg_min', 'argmin'], 1, 64, (a) => a[0] ?? 'long', prefixed('min')),
  agg('stdev', 1, 1, 'real', prefixed('stdev'), 'zero'),
  agg('stdevp', 1, 1, 'real', prefixed('stdevp'), 'zero'),
  agg('variance', 1, 1, 'real', prefixed('variance'), 'zero'),
  agg('variancep', 1, 1, 'real', prefixed('variancep'), 'zero'),
  agg('percentile', 2, 2, (a) => a[0] ?? 'real', prefixed('percentile')),
  agg('percentiles', 2, 64, (a) => a[0] ?? 'real', prefixed('percentile')),
  agg('percentiles_array', 2, 64, 'dynamic', prefixed('percentile')),
  agg('percentilesw', 3, 64, (a) => a[0] ?? 'real', prefixed('percentile')),
  agg('percentilesw_array', 3, 64, 'dynamic', prefixed('percentile')),
  agg('binary_all_or', 1, 1, 'long', prefixed('binary_all_or')),
  agg('binary_all_and', 1, 1, 'long', prefixed('binary_all_and')),
  agg('binary_all_xor', 1, 1, 'long', prefixed('binary_all_xor')),
  agg('hll', 1, 2, 'dynamic', prefixed('hll')),
  agg('hll_if', 2, 3, 'dynamic', prefixed('hll_if')),
  agg('hll_merge', 1, 1, 'dynamic', prefixed('hll_merge')),
  agg('tdigest', 1, 2, 'dynamic', prefixed('tdigest')),
  agg('tdigest_merge', 1, 1, 'dynamic', prefixed('tdigest_merge')),
  agg('buildschema', 1, 1, 'dynamic', prefixed('schema')),
];

const BY_NAME = new Map<string, AggregateFunction>();
for (const a of AGGREGATE_FUNCTIONS) for (const n of a.names) BY_NAME.set(n, a);

export function aggregateFunction(name: string): AggregateFunction | undefined {
  return BY_NAME.get(name);
}
