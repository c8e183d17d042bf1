import { and, caseWhen, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import type { ScalarLowering } from './scalar.js';
import { toDynamic, toText } from './convert.js';
import { jsonArray } from './dynamic.js';
import { datetimeText, fromTicks, jsonType, ticks, timespanText } from './text.js';
import { bagFromPairs, removalTree, removeTree, setAtPath } from './bags.js';
import { parseBagPath } from '../common/bag-path.js';

/**
 * Array and property-bag functions. A dynamic array is taken apart into its element JSON texts
 * (JSONExtractArrayRaw → Array(String)) and rebuilt by joining texts, so nested values keep their
 * JSON. Lambda parameters use a `__` prefix so they never shadow a user column.
 */
const X = { k: 'col' as const, name: '__x' };
const Y = { k: 'col' as const, name: '__y' };
const I = { k: 'col' as const, name: '__i' };
const lam = (params: string[], body: SqlExpr): SqlExpr => ({ k: 'lambda', params, body });
const isArray = (j: SqlExpr) => op('=', jsonType(j), str('Array'));

/** Element texts of an array; [] for anything else. */
export const els = (j: SqlExpr): SqlExpr => fn('JSONExtractArrayRaw', fn('ifNull', j, str('[]')));
/** Element texts of an array argument, or the value itself as a one-element list. */
const asList = (e: IrExpr, ctx: LowerContext): SqlExpr => {
  const d = toDynamic(e, ctx);
  return caseWhen([[isArray(d), els(d)]], { k: 'list', items: [fn('ifNull', d, str('null'))] });
};
/** A canonical text per element so equal values compare equal ("1" and "1.0" stay distinct, as in Kusto). */
const canon = (x: SqlExpr) => x;
const at = (list: SqlExpr, i0: SqlExpr): SqlExpr => ({ k: 'index', e: list, index: op('+', i0, num(1)) });

/** Numbers first (by value), then other values by their text, as DuckDB orders (number-or-null, text). */
function sortKey(x: SqlExpr): SqlExpr {
  const n = fn('toFloat64OrNull', x);
  return fn(
    'tuple',
    caseWhen([[{ k: 'isnull', e: n, negated: false }, num(1)]], num(0)),
    fn('ifNull', n, num(0)),
    caseWhen([[op('=', jsonType(x), str('String')), fn('JSONExtractString', x)]], x),
  );
}

function sorted(desc: boolean): ScalarLowering {
  return (args, ctx) => {
    // A trailing bool argument is nulls_last (default true).
    const last = args[args.length - 1];
    const flag = last && last.type === 'bool' && args.length > 1 ? ctx.constValue(last) : undefined;
    if (last && last.type === 'bool' && args.length > 1 && typeof flag !== 'boolean')
      throw new UnsupportedFeature('SF303', 'nulls_last must be a constant');
    const arrays = args.filter((a) => a.type === 'dynamic');
    const nullsLast = typeof flag === 'boolean' ? flag : true;
    if (arrays.length > 1) return sortTogether(arrays, desc, nullsLast, ctx);
    const j = ctx.expr(arrays[0]!);
    const list = els(j);
    const values = fn('arrayFilter', lam(['__x'], op('<>', X, str('null'))), list);
    const nulls = fn('arrayFilter', lam(['__x'], op('=', X, str('null'))), list);
    let s = fn('arraySort', lam(['__x'], sortKey(X)), values);
    if (desc) s = fn('arrayReverse', s);
    return caseWhen([
      [isArray(j), jsonArray(nullsLast ? fn('arrayConcat', s, nulls) : fn('arrayConcat', nulls, s))],
    ]);
  };
}

/**
 * Several arrays: the first is sorted (nulls first or last, then by sortKey, ties by position,
 * all reversed for desc, as DuckDB sorts its (null rank, value, position) keys) and the others
 * are permuted the same way; the answer is the array of the permuted arrays.
 */
function sortTogether(arrays: IrExpr[], desc: boolean, nullsLast: boolean, ctx: LowerContext): SqlExpr {
  const js = arrays.map((a) => ctx.expr(a));
  const lists = js.map(els);
  const first = lists[0]!;
  const nullRank = !desc === nullsLast ? 1 : 0;
  const x = at(first, I);
  const key = fn(
    'tuple',
    caseWhen([[op('=', x, str('null')), num(nullRank)]], num(1 - nullRank)),
    sortKey(x),
    I,
  );
  const positions = fn('range', fn('length', first));
  const order = fn(desc ? 'arrayReverseSort' : 'arraySort', lam(['__i'], key), positions);
  const permuted = lists.map((l) =>
    jsonArray(
      fn(
        'arrayMap',
        lam(['__i'], fn('ifNull', fn('arrayElementOrNull', l, op('+', I, num(1))), str('null'))),
        order,
      ),
    ),
  );
  return caseWhen([[isArray(js[0]!), jsonArray({ k: 'list', items: permuted })]]);
}

function shift(direction: 1 | -1): ScalarLowering {
  return ([arr, n, fill], ctx) => {
    const j = ctx.expr(arr!);
    const list = els(j);
    const len = fn('toInt64', fn('length', list));
    const by = direction === 1 ? ctx.expr(n!) : { k: 'neg' as const, e: ctx.expr(n!) };
    const src = op('+', I, by);
    const filler = fill ? fn('ifNull', toDynamic(fill, ctx), str('null')) : str('null');
    const body = caseWhen([[and(op('>=', src, num(0)), op('<', src, len)), at(list, src)]], filler);
    return caseWhen([
      [isArray(j), jsonArray(fn('arrayMap', lam(['__i'], body), fn('range', fn('toUInt64', len))))],
    ]);
  };
}

function rotate(direction: 1 | -1): ScalarLowering {
  return ([arr, n], ctx) => {
    const j = ctx.expr(arr!);
    const list = els(j);
    const len = fn('toInt64', fn('length', list));
    const by = direction === 1 ? ctx.expr(n!) : { k: 'neg' as const, e: ctx.expr(n!) };
    const src = op('%', op('+', op('%', op('+', I, by), len), len), len);
    return caseWhen([
      [op('=', len, num(0)), j],
      [isArray(j), jsonArray(fn('arrayMap', lam(['__i'], at(list, src)), fn('range', fn('toUInt64', len))))],
    ]);
  };
}

/** A JSON element as a condition: booleans as they are, numbers by != 0, anything else null. */
function jsonCondition(e: SqlExpr): SqlExpr {
  const t = jsonType(e);
  return caseWhen([
    [op('=', t, str('Bool')), op('=', e, str('true'))],
    [
      { k: 'in', e: t, list: [str('Int64'), str('UInt64'), str('Double')], negated: false },
      op('<>', fn('toFloat64OrZero', e), num(0)),
    ],
  ]);
}

function pick(v: IrExpr, ctx: LowerContext): SqlExpr {
  const d = fn('ifNull', toDynamic(v, ctx), str('null'));
  if (v.type !== 'dynamic') return d;
  return caseWhen(
    [[isArray(d), fn('ifNull', fn('arrayElementOrNull', els(d), op('+', I, num(1))), str('null'))]],
    d,
  );
}

const arrayIff: ScalarLowering = ([c, t, e], ctx) => {
  const list = els(ctx.expr(c!));
  const cond = jsonCondition(at(list, I));
  const body = caseWhen(
    [
      [cond, pick(t!, ctx)],
      [{ k: 'not', e: cond }, pick(e!, ctx)],
    ],
    str('null'),
  );
  return jsonArray(fn('arrayMap', lam(['__i'], body), fn('range', fn('length', list))));
};

function setOp(kind: 'union' | 'intersect' | 'difference'): ScalarLowering {
  return (args, ctx) => {
    const lists = args.map((a) => fn('arrayMap', lam(['__x'], canon(X)), asList(a, ctx)));
    if (kind === 'union') return jsonArray(fn('arrayDistinct', fn('arrayConcat', ...lists)));
    if (kind === 'intersect')
      return jsonArray(
        fn(
          'arrayDistinct',
          fn('arrayFilter', lam(['__x'], and(...lists.slice(1).map((l) => fn('has', l, X)))), lists[0]!),
        ),
      );
    const others = fn('arrayConcat', ...lists.slice(1));
    return jsonArray(
      fn('arrayDistinct', fn('arrayFilter', lam(['__x'], { k: 'not', e: fn('has', others, X) }), lists[0]!)),
    );
  };
}

/**
 * replace_strings: lookups apply in order and a replaced region is never matched again: each
 * lookup becomes a private-use placeholder first, then placeholders become the replacements.
 */
const replaceStrings: ScalarLowering = ([text, lookups, replacements], ctx) => {
  const from = ctx.constValue(lookups!);
  const to = ctx.constValue(replacements!);
  if (!Array.isArray(from) || !Array.isArray(to))
    throw new UnsupportedFeature('SF303', 'replace_strings() needs constant lookup and replacement arrays');
  let out = ctx.expr(text!);
  const used: [string, string][] = [];
  from.forEach((l, i) => {
    if (typeof l !== 'string' || l === '') return;
    const ph = String.fromCharCode(0xe000 + i);
    out = fn('replaceAll', out, str(l), str(ph));
    const r = to[i];
    used.push([ph, r === undefined || r === null ? '' : typeof r === 'string' ? r : JSON.stringify(r)]);
  });
  for (const [ph, r] of used) out = fn('replaceAll', out, str(ph), str(r));
  return out;
};

/** array_split: split points (one index or an array of them; negative counts from the end). */
const arraySplit: ScalarLowering = ([arr, idx], ctx) => {
  const j = ctx.expr(arr!);
  const list = els(j);
  const len = fn('toInt64', fn('length', list));
  const K = { k: 'col' as const, name: '__k' };
  const raw =
    idx!.type === 'dynamic'
      ? fn('arrayMap', lam(['__k'], fn('toInt64OrZero', K)), els(ctx.expr(idx!)))
      : { k: 'list' as const, items: [fn('toInt64', ctx.expr(idx!))] };
  const norm = fn('greatest', num(0), fn('least', len, caseWhen([[op('<', K, num(0)), op('+', len, K)]], K)));
  const bounds = fn(
    'arrayConcat',
    { k: 'list', items: [fn('toInt64', num(0))] },
    fn('arrayMap', lam(['__k'], norm), raw),
    { k: 'list', items: [len] },
  );
  const lo = at(bounds, I);
  const hi = at(bounds, op('+', I, num(1)));
  const piece = jsonArray(
    fn('arraySlice', list, op('+', lo, num(1)), fn('greatest', op('-', hi, lo), num(0))),
  );
  return caseWhen([
    [
      isArray(j),
      jsonArray(
        fn(
          'arrayMap',
          lam(['__i'], piece),
          fn('range', fn('toUInt64', op('-', fn('length', bounds), num(1)))),
        ),
      ),
    ],
  ]);
};

/**
 * parse_csv: the first CSV record of the text as an array of strings, as the DuckDB dialect reads
 * it: the record runs to the first line break outside quotes; a field is a quoted run (`""` inside
 * is one quote) or anything up to the next comma. Each field is matched with its leading comma (a
 * comma is put before the record), so no match is ever empty and ClickHouse's handling of empty
 * matches cannot drop a field.
 */
const parseCsv: ScalarLowering = ([text], ctx) => {
  const K = { k: 'col' as const, name: '__k' };
  const record = fn('regexpExtract', ctx.expr(text!), str('^(?:"(?:[^"]|"")*"|[^"\n])*'), num(0));
  const fields = fn(
    'arrayMap',
    lam(['__k'], at(K, num(0))),
    fn('extractAllGroupsVertical', fn('concat', str(','), record), str(',("(?:[^"]|"")*"|[^,]*)')),
  );
  const unquote = caseWhen(
    [
      [
        fn('startsWith', K, str('"')),
        fn('replaceAll', fn('substring', K, num(2), op('-', fn('length', K), num(2))), str('""'), str('"')),
      ],
    ],
    K,
  );
  return jsonArray(fn('arrayMap', lam(['__k'], fn('toJSONString', unquote)), fields));
};

export const ARRAY_LOWERINGS: Record<string, ScalarLowering> = {
  parse_csv: parseCsv,
  base64_decode_toarray: ([s], ctx) => {
    // substring() counts bytes, so each decoded byte becomes one number.
    const bytes = fn('tryBase64Decode', ctx.expr(s!));
    const byteAt = fn('toString', fn('reinterpretAsUInt8', fn('substring', bytes, I, num(1))));
    return caseWhen(
      [[op('=', bytes, str('')), { k: 'null' }]],
      jsonArray(
        fn('arrayMap', lam(['__i'], byteAt), fn('range', num(1), op('+', fn('length', bytes), num(1)))),
      ),
    );
  },
  base64_encode_fromarray: ([arr], ctx) => {
    const j = ctx.expr(arr!);
    const bytes = fn(
      'arrayStringConcat',
      fn('arrayMap', lam(['__x'], fn('char', fn('toUInt8OrZero', X))), els(j)),
    );
    return caseWhen([[isArray(j), fn('base64Encode', bytes)]], str(''));
  },
  replace_strings: replaceStrings,
  array_split: arraySplit,
  array_sort_asc: sorted(false),
  array_sort_desc: sorted(true),
  array_shift_left: shift(1),
  array_shift_right: shift(-1),
  array_rotate_left: rotate(1),
  array_rotate_right: rotate(-1),
  array_iff: arrayIff,
  set_union: setOp('union'),
  set_intersect: setOp('intersect'),
  set_difference: setOp('difference'),
  zip: (args, ctx) => {
    const lists = args.map((a) => els(ctx.expr(a)));
    const longest = fn('greatest', ...lists.map((l) => fn('length', l)));
    const row = (i: SqlExpr) =>
      jsonArray({
        k: 'list',
        items: lists.map((l) => fn('ifNull', fn('arrayElementOrNull', l, op('+', i, num(1))), str('null'))),
      });
    return jsonArray(fn('arrayMap', lam(['__i'], row(I)), fn('range', longest)));
  },
  repeat: ([v, n], ctx) =>
    jsonArray(
      fn(
        'arrayMap',
        lam(['__i'], fn('ifNull', toDynamic(v!, ctx), str('null'))),
        fn('range', fn('toUInt64', fn('greatest', ctx.expr(n!), num(0)))),
      ),
    ),
  range: ([a, b, s], ctx) => {
    const t = a!.type;
    const timed = t === 'datetime' || t === 'timespan';
    // datetimes and timespans count in ticks; their default step is 1h.
    const asNumber = (x: IrExpr) => (x.type === 'datetime' ? ticks(ctx.expr(x)) : ctx.expr(x));
    const start = asNumber(a!);
    const step = s ? asNumber(s) : timed ? num(36_000_000_000) : num(1);
    // Kusto caps range() at 1,048,576 elements; a zero step gives the start alone.
    const span = op('+', fn('floor', op('/', op('-', asNumber(b!), start), step)), num(1));
    const count = caseWhen(
      [[op('=', step, num(0)), num(1)]],
      fn('toUInt64', fn('least', fn('greatest', span, num(0)), num(1_048_576))),
    );
    const value = op('+', start, op('*', I, step));
    const text =
      t === 'datetime'
        ? fn('toJSONString', datetimeText(fromTicks(value)))
        : t === 'timespan'
          ? fn('toJSONString', timespanText(value))
          : t === 'real' || t === 'decimal' || s?.type === 'real'
            ? fn('toString', fn('toFloat64', value))
            : fn('toString', value);
    return jsonArray(fn('arrayMap', lam(['__i'], text), fn('range', fn('toUInt64', count))));
  },
  strcat_array: ([arr, d], ctx) => {
    const text = caseWhen(
      [
        [op('=', jsonType(X), str('String')), fn('JSONExtractString', X)],
        [op('=', X, str('null')), str('')],
      ],
      X,
    );
    return fn('arrayStringConcat', fn('arrayMap', lam(['__x'], text), els(ctx.expr(arr!))), toText(d!, ctx));
  },
  bag_merge: (args, ctx) => {
    // The first bag that has a key wins.
    const pairs = fn(
      'arrayConcat',
      ...args.map((a) => fn('JSONExtractKeysAndValuesRaw', fn('ifNull', ctx.expr(a), str('{}')))),
    );
    return bagFromPairs(pairs, true);
  },
  bag_remove_keys: ([bag, keys], ctx) => {
    const b = ctx.expr(bag!);
    const constKeys = ctx.constValue(keys!);
    if (Array.isArray(constKeys)) {
      // Constant keys may be paths into nested bags ($.a.b).
      const paths = constKeys.filter((k): k is string => typeof k === 'string').map(parseBagPath);
      if (paths.some((p) => !p))
        throw new UnsupportedFeature(
          'SF303',
          'bag_remove_keys() supports property names and simple $.a.b paths only',
        );
      return removeTree(b, removalTree(paths as string[][]));
    }
    const drop = fn('arrayMap', lam(['__y'], fn('JSONExtractString', Y)), els(ctx.expr(keys!)));
    const kept = fn(
      'arrayFilter',
      lam(['__x'], { k: 'not', e: fn('has', drop, fn('tupleElement', X, num(1))) }),
      fn('JSONExtractKeysAndValuesRaw', fn('ifNull', b, str('{}'))),
    );
    return caseWhen([[op('=', jsonType(b), str('Object')), bagFromPairs(kept, false)]], b);
  },
  bag_set_key: ([bag, key, value], ctx) => {
    const b = ctx.expr(bag!);
    const k = ctx.constValue(key!);
    const path = typeof k === 'string' ? parseBagPath(k) : undefined;
    if (typeof k === 'string' && !path)
      throw new UnsupportedFeature(
        'SF303',
        'bag_set_key() supports property names and simple $.a.b paths only',
      );
    const keys = path ? path.map(str) : [ctx.expr(key!)];
    // A null or non-bag input becomes a new bag, as DuckDB's JSON merge patch does.
    return setAtPath(b, keys, fn('ifNull', toDynamic(value!, ctx), str('null')));
  },
  bag_zip: ([keys, values], ctx) => {
    const ks = ctx.expr(keys!);
    const vs = els(ctx.expr(values!));
    const list = els(ks);
    const kept = fn(
      'arrayFilter',
      lam(['__i'], op('=', jsonType(at(list, I)), str('String'))),
      fn('range', fn('length', list)),
    );
    const members = fn(
      'arrayMap',
      lam(
        ['__i'],
        fn(
          'concat',
          at(list, I),
          str(':'),
          fn('ifNull', fn('arrayElementOrNull', vs, op('+', I, num(1))), str('null')),
        ),
      ),
      kept,
    );
    const obj = fn('concat', str('{'), fn('arrayStringConcat', members, str(',')), str('}'));
    return caseWhen([[isArray(ks), obj]]);
  },
};
