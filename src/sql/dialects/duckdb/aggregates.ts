import { cast, fn, num, str, type SqlExpr } from '../../ast/nodes.js';
import type { AggCall } from '../../ir/nodes.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { DUCKDB_STORAGE_TYPE } from './ddl.js';
import { lowerSketchAggregate } from './sketches.js';

const withFilter = (e: SqlExpr, filter?: SqlExpr): SqlExpr => (filter && e.k === 'fn' ? { ...e, filter } : e);
const emptyArray = cast(str('[]'), 'JSON');
const NAN = cast(str('NaN'), 'DOUBLE');

function collect(
  values: SqlExpr,
  distinct: boolean,
  limit: number | undefined,
  filter: SqlExpr | undefined,
  keepNulls = false,
): SqlExpr {
  const notNull: SqlExpr = { k: 'isnull', e: values, negated: true };
  const f = keepNulls
    ? filter
    : filter
      ? { k: 'op' as const, op: 'AND' as const, l: filter, r: notNull }
      : notNull;
  let list: SqlExpr = withFilter(fn('list', values), f);
  if (distinct) list = fn('list_distinct', list);
  if (limit !== undefined) list = fn('list_slice', list, num(1), num(limit));
  return fn('coalesce', fn('to_json', list), emptyArray);
}

/** make_set over dynamic values: arrays contribute their elements (Kusto flattens them), other values themselves. */
function collectSetOfArrays(
  values: SqlExpr,
  limit: number | undefined,
  filter: SqlExpr | undefined,
): SqlExpr {
  const elements: SqlExpr = {
    k: 'case',
    whens: [
      [
        { k: 'op', op: '=', l: fn('json_type', values), r: str('ARRAY') },
        fn('from_json', values, str('["JSON"]')),
      ],
    ],
    else: { k: 'list', items: [values] },
  };
  const notNull: SqlExpr = { k: 'isnull', e: values, negated: true };
  const lists = withFilter(
    fn('list', elements),
    filter ? { k: 'op', op: 'AND', l: filter, r: notNull } : notNull,
  );
  const flat = fn('list_filter', fn('flatten', lists), {
    k: 'lambda',
    params: ['__e'],
    body: { k: 'op', op: '<>', l: fn('json_type', { k: 'col', name: '__e' }), r: str('NULL') },
  });
  let list: SqlExpr = fn('list_distinct', flat);
  if (limit !== undefined) list = fn('list_slice', list, num(1), num(limit));
  return fn('coalesce', fn('to_json', list), emptyArray);
}

/**
 * Nearest-rank percentiles with integer weights: the smallest value whose cumulative weight
 * reaches p% of the total (weight 1 everywhere is Kusto's percentile()). `asArray`: one dynamic
 * array of all the percentiles, else the single value.
 */
function weightedPercentile(x: SqlExpr, w: SqlExpr, percents: number[], asArray = false): SqlExpr {
  const col = (name: string): SqlExpr => ({ k: 'col', name });
  const field = (s: SqlExpr, f: string) => fn('struct_extract', s, str(f));
  const pairs = fn(
    'list_sort',
    withFilter(
      fn('list', {
        k: 'struct',
        fields: [
          ['x', x],
          ['w', w],
        ],
      }),
      { k: 'isnull', e: x, negated: true },
    ),
  );
  const weights = fn('list_transform', pairs, { k: 'lambda', params: ['__p'], body: field(col('__p'), 'w') });
  const cumulative = fn(
    'list_transform',
    fn('range', num(1), { k: 'op', op: '+', l: fn('len', weights), r: num(1) }),
    {
      k: 'lambda',
      params: ['__i'],
      body: fn('list_sum', fn('list_slice', weights, num(1), col('__i'))),
    },
  );
  const total = fn('list_sum', weights);
  const pick = (p: number): SqlExpr => {
    const rank = fn(
      'list_position',
      fn('list_transform', cumulative, {
        k: 'lambda',
        params: ['__c'],
        body: { k: 'op', op: '>=', l: col('__c'), r: { k: 'op', op: '*', l: total, r: num(p / 100) } },
      }),
      { k: 'bool', value: true },
    );
    return field({ k: 'index', e: pairs, index: fn('greatest', rank, num(1)) }, 'x');
  };
  if (!asArray) return pick(percents[0]!);
  return fn('to_json', { k: 'list', items: percents.map(pick) });
}

/**
 * make-series: the group's (bin index, value) pairs laid out as a dense JSON array of `count`
 * elements, `fallback` where no pair has the index (a null value of a present bin stays null).
 */
function seriesFill(index: SqlExpr, value: SqlExpr, count: SqlExpr, fallback: SqlExpr): SqlExpr {
  const col = (name: string): SqlExpr => ({ k: 'col', name });
  const pairs = fn('list', {
    k: 'struct',
    fields: [
      ['k', index],
      ['v', value],
    ],
  });
  const at = fn('list_filter', pairs, {
    k: 'lambda',
    params: ['__p'],
    body: { k: 'op', op: '=', l: fn('struct_extract', col('__p'), str('k')), r: col('__i') },
  });
  const element: SqlExpr = {
    k: 'case',
    whens: [[{ k: 'op', op: '=', l: fn('len', at), r: num(0) }, fallback]],
    else: fn('struct_extract', { k: 'index', e: at, index: num(1) }, str('v')),
  };
  return fn(
    'to_json',
    fn('list_transform', fn('range', num(0), count), { k: 'lambda', params: ['__i'], body: element }),
  );
}

export function lowerAggregate(a: AggCall, ctx: LowerContext): SqlExpr {
  const args = a.args.map((x) => ctx.expr(x));
  const pred = (i: number) => (a.args[i] ? ctx.predicate(a.args[i]!) : undefined);
  switch (a.fn) {
    case 'count':
      return fn('count_star');
    case 'countif':
      return withFilter(fn('count_star'), pred(0));
    case 'dcount':
    case 'count_distinct':
      return { k: 'fn', name: 'count', args: [args[0]!], distinct: true };
    case 'dcountif':
      return { k: 'fn', name: 'count', args: [args[0]!], distinct: true, filter: pred(1)! };
    case 'sum':
    case 'sumif': {
      const s = withFilter(fn('sum', args[0]!), a.fn === 'sumif' ? pred(1) : undefined);
      return fn(
        'coalesce',
        cast(s, DUCKDB_STORAGE_TYPE[a.type]),
        a.type === 'real' ? cast(num(0), 'DOUBLE') : num(0),
      );
    }
    // Kusto divides the sum by the count, so no values (or only nulls) give NaN, not null.
    case 'avg':
      return fn('coalesce', fn('avg', args[0]!), NAN);
    case 'avgif':
      return fn('coalesce', withFilter(fn('avg', args[0]!), pred(1)), NAN);
    case 'min':
    case 'max':
      return fn(a.fn, args[0]!);
    case 'minif':
    case 'maxif':
      return withFilter(fn(a.fn.slice(0, 3), args[0]!), pred(1));
    case 'take_any':
      return fn('any_value', args[0]!);
    case 'take_anyif':
      return withFilter(fn('any_value', args[0]!), pred(1));
    case 'make_set':
      return a.args[0]!.type === 'dynamic'
        ? collectSetOfArrays(args[0]!, a.limit, undefined)
        : collect(args[0]!, true, a.limit, undefined);
    case 'make_set_if':
      return a.args[0]!.type === 'dynamic'
        ? collectSetOfArrays(args[0]!, a.limit, pred(1))
        : collect(args[0]!, true, a.limit, pred(1));
    case 'make_list':
      return collect(args[0]!, false, a.limit, undefined);
    case 'make_list_if':
      return collect(args[0]!, false, a.limit, pred(1));
    case 'make_list_with_nulls':
      return collect(args[0]!, false, a.limit, undefined, true);
    case 'make_bag':
    case 'make_bag_if': {
      const bags = withFilter(fn('list', args[0]!), a.fn === 'make_bag_if' ? pred(1) : undefined);
      const objects = fn('list_filter', bags, {
        k: 'lambda',
        params: ['b'],
        body: { k: 'op', op: '=', l: fn('json_type', { k: 'col', name: 'b' }), r: str('OBJECT') },
      });
      // First value wins for duplicate keys: fold right to left.
      const merged = fn('list_reduce', fn('list_reverse', objects), {
        k: 'lambda',
        params: ['acc', 'b'],
        body: fn('json_merge_patch', { k: 'col', name: 'acc' }, { k: 'col', name: 'b' }),
      });
      return {
        k: 'case',
        whens: [[{ k: 'op', op: '=', l: fn('len', objects), r: num(0) }, cast(str('{}'), 'JSON')]],
        else: merged,
      };
    }
    case 'arg_max':
    case 'arg_min': {
      const packed: SqlExpr = { k: 'struct', fields: args.map((x, i) => [`f${i}`, x] as [string, SqlExpr]) };
      // A group whose key is null everywhere still yields a row (with a null key).
      return fn('coalesce', fn(a.fn, packed, args[0]!), fn('any_value', packed));
    }
    case 'percentile': {
      const p = ctx.constValue(a.args[1]!);
      return fn('quantile_disc', args[0]!, { k: 'num', value: Number(p) / 100 });
    }
    case 'percentilew':
      return weightedPercentile(args[0]!, args[1]!, [Number(ctx.constValue(a.args[2]!))]);
    case 'percentilesw_array':
    case 'percentiles_array': {
      const ps = ctx.constValue(a.args[a.args.length - 1]!);
      const values = Array.isArray(ps) ? ps.map(Number) : [];
      const weight = a.fn === 'percentilesw_array' ? args[1]! : num(1);
      return weightedPercentile(args[0]!, weight, values, true);
    }
    case 'stdev':
      return fn('coalesce', fn('stddev_samp', args[0]!), cast(num(0), 'DOUBLE'));
    case 'stdevp':
      return fn('coalesce', fn('stddev_pop', args[0]!), cast(num(0), 'DOUBLE'));
    case 'variance':
      return fn('coalesce', fn('var_samp', args[0]!), cast(num(0), 'DOUBLE'));
    case 'variancep':
      return fn('coalesce', fn('var_pop', args[0]!), cast(num(0), 'DOUBLE'));
    case 'binary_all_or':
      return fn('bit_or', args[0]!);
    case 'binary_all_and':
      return fn('bit_and', args[0]!);
    case 'binary_all_xor':
      return fn('bit_xor', args[0]!);
    case 'series_fill':
      return seriesFill(args[0]!, args[1]!, args[2]!, args[3]!);
    default: {
      const sketch = lowerSketchAggregate(a, ctx);
      if (sketch) return sketch;
      throw new UnsupportedFeature('SF302', `aggregation ${a.fn}() is not supported on DuckDB yet`);
    }
  }
}
