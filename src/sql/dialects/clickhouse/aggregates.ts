import { caseWhen, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import { jsonType } from './text.js';
import type { IrExpr } from '../../ir/expr.js';
import type { AggCall } from '../../ir/nodes.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { toDynamic } from './convert.js';
import { jsonArray } from './dynamic.js';
import { bagFromPairs } from './bags.js';
import { lowerSketchAggregate } from './sketches.js';

/**
 * Aggregations use ClickHouse's -If and -OrNull combinators instead of FILTER (WHERE …): an
 * aggregate over no rows is null where Kusto says so (min, max), NaN for avg, 0 for sums and counts.
 */
const fnc = (name: string, params: SqlExpr[], ...args: SqlExpr[]): SqlExpr =>
  // Parametric aggregates print as name(params)(args): the parameters ride in the function name,
  // built only from numbers this file produces.
  fn(`${name}(${params.map((p) => (p.k === 'num' ? String(p.value) : '')).join(', ')})`, ...args);

/** make_set/make_list: element JSON texts collected, then joined into one JSON array. */
function collect(
  a: AggCall,
  ctx: LowerContext,
  distinct: boolean,
  cond: SqlExpr | undefined,
  keepNulls = false,
): SqlExpr {
  const v = a.args[0]!;
  if (distinct && v.type === 'dynamic') return collectFlat(a, ctx, cond);
  const elem = toDynamic(v as IrExpr, ctx);
  const value = keepNulls ? fn('ifNull', elem, str('null')) : elem;
  const base = distinct ? 'groupUniqArray' : 'groupArray';
  const name = cond ? `${base}If` : base;
  const args = cond ? [value, cond] : [value];
  const list = a.limit !== undefined ? fnc(name, [num(a.limit)], ...args) : fn(name, ...args);
  return jsonArray(list);
}

const X = { k: 'col' as const, name: '__x' };
const NAN = fn('toFloat64', str('nan'));
const lam = (params: string[], body: SqlExpr): SqlExpr => ({ k: 'lambda', params, body });

/** make_set over dynamic values: arrays contribute their elements (Kusto flattens them), nulls none. */
function collectFlat(a: AggCall, ctx: LowerContext, cond: SqlExpr | undefined): SqlExpr {
  const j = ctx.expr(a.args[0]!);
  const elements = caseWhen(
    [[op('=', jsonType(j), str('Array')), fn('JSONExtractArrayRaw', fn('assumeNotNull', j))]],
    { k: 'list', items: [fn('ifNull', j, str('null'))] },
  );
  const groups = cond ? fn('groupArrayIf', elements, cond) : fn('groupArray', elements);
  let flat = fn(
    'arrayDistinct',
    fn('arrayFilter', lam(['__x'], op('<>', X, str('null'))), fn('arrayFlatten', groups)),
  );
  if (a.limit !== undefined) flat = fn('arraySlice', flat, num(1), num(a.limit));
  return jsonArray(flat);
}

/** make_bag: the properties of every bag in the group; the first value seen for a key wins. */
function makeBag(a: AggCall, ctx: LowerContext, cond: SqlExpr | undefined): SqlExpr {
  const j = ctx.expr(a.args[0]!);
  const objPairs = fn(
    'JSONExtractKeysAndValuesRaw',
    fn('if', op('=', fn('ifNull', jsonType(j), str('')), str('Object')), fn('assumeNotNull', j), str('{}')),
  );
  const all = fn('arrayFlatten', cond ? fn('groupArrayIf', objPairs, cond) : fn('groupArray', objPairs));
  return bagFromPairs(all, true);
}

/** Weighted nearest-rank percentile: the first value whose cumulative weight reaches p% of the total. */
function weightedPercentile(x: SqlExpr, w: SqlExpr, percents: number[], asArray: boolean): SqlExpr {
  const pairs = fn('arraySort', fn('groupArrayIf', fn('tuple', x, w), { k: 'isnull', e: x, negated: true }));
  const weights = fn('arrayMap', lam(['__x'], fn('ifNull', fn('tupleElement', X, num(2)), num(0))), pairs);
  const cumulative = fn('arrayCumSum', weights);
  const total = fn('arraySum', weights);
  const C = { k: 'col' as const, name: '__c' };
  const pick = (p: number): SqlExpr => {
    const rank = fn('arrayFirstIndex', lam(['__c'], op('>=', C, op('*', total, num(p / 100)))), cumulative);
    return fn('tupleElement', { k: 'index', e: pairs, index: fn('greatest', rank, num(1)) }, num(1));
  };
  if (!asArray) return pick(percents[0]!);
  return jsonArray({ k: 'list', items: percents.map((p) => fn('toString', pick(p))) });
}

export function lowerAggregate(a: AggCall, ctx: LowerContext): SqlExpr {
  const args = a.args.map((x) => ctx.expr(x));
  const pred = (i: number) => ctx.predicate(a.args[i]!);
  switch (a.fn) {
    case 'count':
      return fn('toInt64', fn('count'));
    case 'countif':
      return fn('toInt64', fn('countIf', pred(0)));
    case 'dcount':
    case 'count_distinct':
      return fn('toInt64', fn('uniqExact', args[0]!));
    case 'dcountif':
      return fn('toInt64', fn('uniqExactIf', args[0]!, pred(1)));
    case 'sum':
      return fn('ifNull', fn('sum', args[0]!), num(0));
    case 'sumif':
      return fn('ifNull', fn('sumIf', args[0]!, pred(1)), num(0));
    // Kusto divides the sum by the count: no values (or only nulls) give NaN, not null.
    case 'avg':
      return fn('ifNull', fn('avgOrNull', args[0]!), NAN);
    case 'avgif':
      return fn('ifNull', fn('avgOrNullIf', args[0]!, pred(1)), NAN);
    case 'min':
    case 'max':
      return fn(`${a.fn}OrNull`, args[0]!);
    case 'minif':
    case 'maxif':
      return fn(`${a.fn.slice(0, 3)}OrNullIf`, args[0]!, pred(1));
    case 'take_any':
      return fn('any', args[0]!);
    case 'take_anyif':
      return fn('anyIf', args[0]!, pred(1));
    case 'make_set':
      return collect(a, ctx, true, undefined);
    case 'make_set_if':
      return collect(a, ctx, true, pred(1));
    case 'make_list':
      return collect(a, ctx, false, undefined);
    case 'make_list_if':
      return collect(a, ctx, false, pred(1));
    case 'make_list_with_nulls':
      return collect(a, ctx, false, undefined, true);
    case 'make_bag':
      return makeBag(a, ctx, undefined);
    case 'make_bag_if':
      return makeBag(a, ctx, pred(1));
    case 'arg_max':
    case 'arg_min': {
      // The whole winning row packed in a tuple; a group whose key is null everywhere still yields a row.
      const packed = fn('tuple', ...args);
      const win = fn(a.fn === 'arg_max' ? 'argMax' : 'argMin', packed, args[0]!);
      return caseWhen([[op('>', fn('count', args[0]!), num(0)), win]], fn('any', packed));
    }
    case 'percentile': {
      const p = ctx.constValue(a.args[1]!);
      return fnc('quantileExactLow', [{ k: 'num', value: Number(p) / 100 }], args[0]!);
    }
    case 'percentilew':
      return weightedPercentile(args[0]!, args[1]!, [Number(ctx.constValue(a.args[2]!))], false);
    case 'percentilesw_array':
    case 'percentiles_array': {
      const ps = ctx.constValue(a.args[a.args.length - 1]!);
      const values = Array.isArray(ps) ? ps.map(Number) : [];
      return weightedPercentile(args[0]!, a.fn === 'percentilesw_array' ? args[1]! : num(1), values, true);
    }
    case 'binary_all_xor':
      return fn('groupBitXor', args[0]!);
    case 'stdev':
    case 'variance': {
      const f = a.fn === 'stdev' ? 'stddevSamp' : 'varSamp';
      return caseWhen([[op('>', fn('count', args[0]!), num(1)), fn(f, args[0]!)]], num(0));
    }
    case 'stdevp':
      return fn('ifNull', fn('stddevPopOrNull', args[0]!), num(0));
    case 'variancep':
      return fn('ifNull', fn('varPopOrNull', args[0]!), num(0));
    case 'binary_all_or':
      return fn('groupBitOr', args[0]!);
    case 'binary_all_and':
      return fn('groupBitAnd', args[0]!);
    case 'series_fill':
      // make-series' dense arrays: not lowered for ClickHouse yet (DuckDB only).
      throw new UnsupportedFeature('SF303', 'make-series is not supported on ClickHouse yet');
    default: {
      const sketch = lowerSketchAggregate(a, ctx);
      if (sketch) return sketch;
      throw new UnsupportedFeature('SF302', `aggregation ${a.fn}() is not supported on ClickHouse yet`);
    }
  }
}
