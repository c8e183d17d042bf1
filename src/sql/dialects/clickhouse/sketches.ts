import { caseWhen, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import type { AggCall } from '../../ir/nodes.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { jsonTo, toDynamic } from './convert.js';
import { jsonArray } from './dynamic.js';
import type { ScalarLowering } from './scalar.js';
import { isTypeLiteral, tdigestPercents } from '../common/sketch-args.js';

/**
 * Kusto's sketch aggregates computed exactly, with the same values as the DuckDB dialect:
 * - hll(x): the distinct values as a JSON array; dcount_hll() is its length (so it agrees with
 *   dcount(), exact here too).
 * - tdigest(x): the values sorted as a JSON array; percentile_tdigest() picks the nearest rank,
 *   as percentile() does.
 * - buildschema(d): the union schema of dynamic values (`{"x":["int","string"],"z":{"indexer":…}}`),
 *   described to SCHEMA_DEPTH levels as on DuckDB.
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

/** Deepest nesting buildschema() describes (the DuckDB dialect's SCHEMA_DEPTH); below it, "dynamic". */
const SCHEMA_DEPTH = 8;
/** The key under which array elements are grouped while building a level (no JSON key has it). */
const MARK = str('\u0000indexer');

/** Kusto's type name of one JSON value ('' for null): whole numbers are int when they fit in 32 bits. */
function schemaKind(v: SqlExpr): SqlExpr {
  const t = fn('toString', fn('JSONType', v));
  const n = fn('toFloat64OrNull', v);
  const int32 = op('AND', op('>=', n, num(-2147483648)), op('<=', n, num(2147483647)));
  return caseWhen(
    [
      [op('=', t, str('Object')), str('object')],
      [op('=', t, str('Array')), str('array')],
      [op('=', t, str('String')), str('string')],
      [op('=', t, str('Double')), str('double')],
      [op('=', t, str('Bool')), str('bool')],
      [
        { k: 'in', e: t, list: [str('Int64'), str('UInt64')], negated: false },
        caseWhen([[int32, str('int')]], str('long')),
      ],
    ],
    str(''),
  );
}

/** One alternative stands alone; several are listed as a JSON array in order of first appearance. */
function alternatives(alts: SqlExpr): SqlExpr {
  return caseWhen(
    [
      [op('=', fn('length', alts), num(0)), { k: 'null' }],
      [op('=', fn('length', alts), num(1)), { k: 'index', e: alts, index: num(1) }],
    ],
    jsonArray(alts),
  );
}

/**
 * The schema of the JSON texts `vs` (an Array(String)) to `depth` levels. Each level groups the
 * members of objects by key and the elements of arrays under MARK, and describes each group one
 * level down; `[x]` with arrayMap binds a value once so the text grows linearly with the depth.
 */
function schemaOf(vs: SqlExpr, depth: number): SqlExpr {
  const c = (name: string): SqlExpr => ({ k: 'col', name: `__${name}${depth}` });
  const l = (name: string, body: SqlExpr) => lam([`__${name}${depth}`], body);
  const kinds = fn(
    'arrayDistinct',
    fn('arrayFilter', l('k', op('<>', c('k'), str(''))), fn('arrayMap', l('v', schemaKind(c('v'))), vs)),
  );
  if (depth === 0) {
    const named = caseWhen(
      [[{ k: 'in', e: c('t'), list: [str('object'), str('array')], negated: false }, str('dynamic')]],
      c('t'),
    );
    return alternatives(fn('arrayMap', l('t', fn('toJSONString', named)), kinds));
  }
  const first = (x: SqlExpr, i: number) => fn('tupleElement', x, num(i));
  const V = c('v');
  const none = {
    k: 'cast' as const,
    e: { k: 'list' as const, items: [] },
    type: 'Array(Tuple(String, String))',
  };
  const pairs = fn(
    'arrayFlatten',
    fn(
      'arrayMap',
      l(
        'v',
        caseWhen(
          [
            [op('=', fn('toString', fn('JSONType', V)), str('Object')), fn('JSONExtractKeysAndValuesRaw', V)],
            [
              op('=', fn('toString', fn('JSONType', V)), str('Array')),
              fn('arrayMap', l('a', fn('tuple', MARK, c('a'))), fn('JSONExtractArrayRaw', V)),
            ],
          ],
          none,
        ),
      ),
      vs,
    ),
  );
  const P = c('p');
  const K = c('key');
  const children = fn(
    'arrayFilter',
    l('x', op('<>', fn('toString', fn('JSONType', c('x'))), str('Null'))),
    fn('arrayMap', l('q', first(c('q'), 2)), fn('arrayFilter', l('q', op('=', first(c('q'), 1), K)), P)),
  );
  const entries = fn(
    'arrayMap',
    l('key', fn('tuple', K, schemaOf(children, depth - 1))),
    fn('arrayDistinct', fn('arrayMap', l('q', first(c('q'), 1)), P)),
  );
  const E = c('e');
  const Y = c('y');
  const object = jsonObjectOf(
    fn('arrayFilter', l('y', op('<>', first(Y, 1), MARK)), E),
    (y) => fn('concat', fn('toJSONString', first(y, 1)), str(':'), fn('ifNull', first(y, 2), str('null'))),
    l,
    Y,
  );
  const indexer = fn(
    'arrayElementOrNull',
    fn('arrayMap', l('y', first(Y, 2)), fn('arrayFilter', l('y', op('=', first(Y, 1), MARK)), E)),
    num(1),
  );
  const array = fn('concat', str('{"indexer":'), fn('ifNull', indexer, str('null')), str('}'));
  const T = c('t');
  const described = caseWhen(
    [
      [op('=', T, str('object')), object],
      [op('=', T, str('array')), array],
    ],
    fn('toJSONString', T),
  );
  const level = alternatives(fn('arrayMap', l('t', described), kinds));
  const bindEntries = {
    k: 'index' as const,
    e: fn('arrayMap', l('e', level), { k: 'list', items: [entries] }),
    index: num(1),
  };
  return { k: 'index', e: fn('arrayMap', l('p', bindEntries), { k: 'list', items: [pairs] }), index: num(1) };
}

function jsonObjectOf(
  members: SqlExpr,
  member: (y: SqlExpr) => SqlExpr,
  l: (name: string, body: SqlExpr) => SqlExpr,
  Y: SqlExpr,
): SqlExpr {
  return fn(
    'concat',
    str('{'),
    fn('arrayStringConcat', fn('arrayMap', l('y', member(Y)), members), str(',')),
    str('}'),
  );
}

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
    case 'buildschema':
      return schemaOf(
        fn('groupArrayIf', fn('ifNull', toDynamic(x!, ctx), str('null')), has(x!)),
        SCHEMA_DEPTH,
      );
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

export const SKETCH_LOWERINGS: Record<string, ScalarLowering> = {
  dcount_hll: ([h], ctx) => fn('toInt64', fn('length', elements(ctx.expr(h!)))),
  hll_merge: (args, ctx) => mergeSets({ k: 'list', items: args.map((h) => elements(ctx.expr(h))) }),
  merge_tdigest: (args, ctx) => mergeDigests({ k: 'list', items: args.map((t) => elements(ctx.expr(t))) }),
  percentile_tdigest: (args, ctx, call) => {
    const value = nearestRank(elements(ctx.expr(args[0]!)), ctx.expr(args[1]!));
    return isTypeLiteral(ctx, args[2]) ? jsonTo(value, call.type) : value;
  },
  percentiles_array_tdigest: (args, ctx) => {
    const sorted = elements(ctx.expr(args[0]!));
    const picks = tdigestPercents(args, ctx).map((p) =>
      fn('ifNull', nearestRank(sorted, num(p)), str('null')),
    );
    return caseWhen([[op('>', fn('length', sorted), num(0)), jsonArray({ k: 'list', items: picks })]]);
  },
};
