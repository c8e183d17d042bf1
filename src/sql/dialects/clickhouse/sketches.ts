import { caseWhen, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import type { AggCall } from '../../ir/nodes.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { jsonTo, toDynamic } from './convert.js';
import { jsonArray } from './dynamic.js';
import type { ScalarLowering } from './scalar.js';

/**
 * Kusto's sketch aggregates computed exactly, with the same values as the DuckDB dialect:
 * - hll(x): the distinct values as a JSON array; dcount_hll() is its length (so it agrees with
 *   dcount(), exact here too).
 * - tdigest(x): the values sorted as a JSON array; percentile_tdigest() picks the nearest rank,
 *   as percentile() does.
 * An aggregate over no values is null. Exact sketches grow with the data; Kusto's stay small.
 */

const V = { k: 'col' as const, name: '__v' };
const lam = (params: string[], body: SqlExpr): SqlExpr => ({ k: 'lambda', params, body });
const notNull = (e: SqlExpr): SqlExpr => ({ k: 'isnull', e, negated: true });
const elements = (j: SqlExpr): SqlExpr => fn('JSONExtractArrayRaw', fn('ifNull', j, str('[]')));
/** A JSON array of the element texts, or null when there are none. */
const nonEmpty = (list: SqlExpr): SqlExpr =>
  caseWhen([[op('>', fn('length', list), num(0)), jsonArray(list)]]);

/** JSON element texts in Kusto's order for one type: numbers by value, other values by their text. */
function sortJsonValues(list: SqlExpr): SqlExpr {
  const n = fn('toFloat64OrNull', V);
  const text = caseWhen(
    [[op('=', fn('substring', V, num(1), num(1)), str('"')), fn('JSONExtractString', V)]],
    V,
  );
  const key = fn('tuple', caseWhen([[notNull(n), num(0)]], num(1)), fn('ifNull', n, num(0)), text);
  return fn('arraySort', lam(['__v'], key), list);
}

const mergeSets = (lists: SqlExpr): SqlExpr => nonEmpty(fn('arrayDistinct', fn('arrayFlatten', lists)));
const mergeDigests = (lists: SqlExpr): SqlExpr => nonEmpty(sortJsonValues(fn('arrayFlatten', lists)));

export function lowerSketchAggregate(a: AggCall, ctx: LowerContext): SqlExpr | undefined {
  const [x] = a.args as IrExpr[];
  const has = (e: IrExpr) => notNull(ctx.expr(e));
  switch (a.fn) {
    case 'hll':
    case 'hll_if': {
      const keep = a.fn === 'hll_if' ? op('AND', ctx.predicate(a.args[1]!), has(x!)) : has(x!);
      return nonEmpty(fn('groupUniqArrayIf', toDynamic(x!, ctx), keep));
    }
    case 'hll_merge':
      return mergeSets(fn('groupArrayIf', elements(ctx.expr(x!)), has(x!)));
    case 'tdigest': {
      if (a.args.length > 1)
        throw new UnsupportedFeature('SF303', 'tdigest() with weights is not supported; use percentilesw()');
      // Sorted by the typed value, then its JSON text (the pair keeps equal values together).
      const pairs = fn(
        'arraySort',
        fn('groupArrayIf', fn('tuple', ctx.expr(x!), toDynamic(x!, ctx)), has(x!)),
      );
      return nonEmpty(fn('arrayMap', lam(['__v'], fn('tupleElement', V, num(2))), pairs));
    }
    case 'tdigest_merge':
      return mergeDigests(fn('groupArrayIf', elements(ctx.expr(x!)), has(x!)));
    default:
      return undefined;
  }
}

/** Nearest rank over a sorted JSON array: the element at ceil(p% × n), at least the first. */
function nearestRank(sorted: SqlExpr, percent: SqlExpr): SqlExpr {
  const rank = fn(
    'greatest',
    num(1),
    fn('toInt64', fn('ceil', op('*', op('/', percent, num(100)), fn('length', sorted)))),
  );
  return fn('arrayElementOrNull', sorted, rank);
}

const typeLiteral = (ctx: LowerContext, e: IrExpr | undefined) => {
  const v = e ? ctx.constValue(e) : undefined;
  return typeof v === 'string' && v.startsWith('typeof:');
};

export const SKETCH_LOWERINGS: Record<string, ScalarLowering> = {
  dcount_hll: ([h], ctx) => fn('toInt64', fn('length', elements(ctx.expr(h!)))),
  hll_merge: (args, ctx) => mergeSets({ k: 'list', items: args.map((h) => elements(ctx.expr(h))) }),
  merge_tdigest: (args, ctx) => mergeDigests({ k: 'list', items: args.map((t) => elements(ctx.expr(t))) }),
  percentile_tdigest: (args, ctx, call) => {
    const value = nearestRank(elements(ctx.expr(args[0]!)), ctx.expr(args[1]!));
    return typeLiteral(ctx, args[2]) ? jsonTo(value, call.type) : value;
  },
  percentiles_array_tdigest: (args, ctx) => {
    const sorted = elements(ctx.expr(args[0]!));
    const percents: number[] = [];
    for (const a of args.slice(1)) {
      if (typeLiteral(ctx, a)) continue;
      const v = ctx.constValue(a);
      if (Array.isArray(v)) percents.push(...v.map(Number));
      else if (typeof v === 'number' || typeof v === 'bigint') percents.push(Number(v));
      else throw new UnsupportedFeature('SF303', 'percentiles_array_tdigest() needs constant percentiles');
    }
    const picks = percents.map((p) => fn('ifNull', nearestRank(sorted, num(p)), str('null')));
    return caseWhen([[op('>', fn('length', sorted), num(0)), jsonArray({ k: 'list', items: picks })]]);
  },
};
