import { caseWhen, cast, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import type { ScalarLowering } from './scalar.js';
import { orderedDistinct } from './arrays.js';
import { parseBagPath } from '../common/bag-path.js';

/** The property path of a constant bag key (`key`, `$.a.b`, `$['a']`), or undefined. */
const bagPath = (k: unknown): string[] | undefined => (typeof k === 'string' ? parseBagPath(k) : undefined);

/** Most values range() returns (Kusto's documented limit, 2^20). */
const RANGE_MAX = 1_048_576;
const LIST_JSON = str('["JSON"]');
const asList = (e: SqlExpr) => fn('from_json', e, LIST_JSON);
const x = { k: 'col' as const, name: 'x' };

/** Any KQL value as a JSON (dynamic) value. */
export function toDynamic(e: IrExpr, ctx: LowerContext): SqlExpr {
  const s = ctx.expr(e);
  if (e.type === 'dynamic') return s;
  if (e.type === 'datetime') return fn('to_json', fn('socfeed_tostring_datetime', s));
  if (e.type === 'timespan') return fn('to_json', fn('socfeed_tostring_timespan', s));
  if (e.type === 'guid') return fn('to_json', cast(s, 'VARCHAR'));
  return fn('to_json', s);
}

const asJsonArray = (e: IrExpr, ctx: LowerContext) => {
  const s = ctx.expr(e);
  return caseWhen(
    [[op('=', fn('json_type', s), str('ARRAY')), asList(s)]],
    fn('list_value', toDynamic(e, ctx)),
  );
};

export const DYNAMIC_LOWERINGS: Record<string, ScalarLowering> = {
  todynamic: ([v], ctx) =>
    v!.type === 'string' ? fn('socfeed_parse_json', ctx.expr(v!)) : toDynamic(v!, ctx),
  // A JavaScript function registered with the store (src/engine/udf/xml-to-json.ts), not a macro.
  parse_xml: ([v], ctx) => fn('socfeed_parse_xml', ctx.expr(v!)),
  dyn_get: ([d, k], ctx) => {
    const key = ctx.constValue(k!);
    if (typeof key === 'string') {
      const pointer = '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
      const j = ctx.expr(d!);
      return caseWhen([[op('=', fn('json_type', j), str('OBJECT')), fn('json_extract', j, str(pointer))]]);
    }
    return fn('socfeed_json_get', ctx.expr(d!), ctx.expr(k!));
  },
  dyn_index: ([d, i], ctx) => fn('socfeed_json_index', ctx.expr(d!), ctx.expr(i!)),
  array_length: ([d], ctx) => fn('socfeed_json_array_length', ctx.expr(d!)),
  pack_array: (args, ctx) =>
    args.length === 0 ? cast(str('[]'), 'JSON') : fn('json_array', ...args.map((a) => toDynamic(a, ctx))),
  bag_pack: (args, ctx) => {
    if (args.length % 2 !== 0) throw new UnsupportedFeature('SF303', 'bag_pack() needs key/value pairs');
    if (args.length === 0) return cast(str('{}'), 'JSON');
    const out: SqlExpr[] = [];
    for (let i = 0; i < args.length; i += 2) out.push(ctx.expr(args[i]!), toDynamic(args[i + 1]!, ctx));
    return fn('json_object', ...out);
  },
  bag_keys: ([d], ctx) => {
    const j = ctx.expr(d!);
    return caseWhen([[op('=', fn('json_type', j), str('OBJECT')), fn('to_json', fn('json_keys', j))]]);
  },
  bag_merge: (args, ctx) => {
    // The first bag that has a key wins, so patches apply right to left.
    const bags = args.map((a) => fn('coalesce', ctx.expr(a), cast(str('{}'), 'JSON')));
    return bags.reduceRight((acc, b) => fn('json_merge_patch', acc, b));
  },
  /** Internal (pack_all(true)): like bag_pack, leaving out null and empty values (a null in a merge patch removes the key). */
  bag_pack_nonempty: (args, ctx) => {
    const out: SqlExpr[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const v = args[i + 1]!;
      const x = ctx.expr(v);
      const empty =
        v.type === 'string'
          ? op('=', x, str(''))
          : v.type === 'dynamic'
            ? fn(
                'coalesce',
                { k: 'in', e: fn('json_type', x), list: [str('NULL')], negated: false },
                { k: 'bool', value: true },
              )
            : { k: 'isnull' as const, e: x, negated: false };
      out.push(ctx.expr(args[i]!), caseWhen([[empty, cast({ k: 'null' }, 'JSON')]], toDynamic(v, ctx)));
    }
    return fn('json_merge_patch', cast(str('{}'), 'JSON'), fn('json_object', ...out));
  },
  bag_has_key: ([d, k], ctx) => {
    // A constant `$.a.b` / `$['a']` key is a path into nested bags.
    const path = bagPath(ctx.constValue(k!));
    const pointer = path
      ? str(path.map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1')).join(''))
      : fn('socfeed_json_pointer', ctx.expr(k!));
    return fn('coalesce', fn('json_exists', ctx.expr(d!), pointer), { k: 'bool', value: false });
  },
  bag_set_key: ([d, k, v], ctx) => {
    const path = bagPath(ctx.constValue(k!));
    const value = toDynamic(v!, ctx);
    const patch = path
      ? path.reduceRight<SqlExpr>((acc, p) => fn('json_object', str(p), acc), value)
      : fn('json_object', ctx.expr(k!), value);
    return fn('json_merge_patch', ctx.expr(d!), patch);
  },
  array_concat: (args, ctx) =>
    fn(
      'to_json',
      fn('list_concat', ...args.map((a) => fn('coalesce', asList(ctx.expr(a)), { k: 'list', items: [] }))),
    ),
  array_slice: ([arr, s, e], ctx) => {
    const idx = (v: SqlExpr) => caseWhen([[op('>=', v, num(0)), op('+', v, num(1))]], v);
    return fn('to_json', fn('list_slice', asList(ctx.expr(arr!)), idx(ctx.expr(s!)), idx(ctx.expr(e!))));
  },
  array_reverse: ([arr], ctx) => fn('to_json', fn('list_reverse', asList(ctx.expr(arr!)))),
  array_sum: ([arr], ctx) => fn('list_sum', fn('from_json', ctx.expr(arr!), str('["DOUBLE"]'))),
  set_has_element: ([arr, v], ctx) =>
    fn('coalesce', fn('list_contains', asList(ctx.expr(arr!)), toDynamic(v!, ctx)), {
      k: 'bool',
      value: false,
    }),
  set_union: (args, ctx) =>
    fn('to_json', orderedDistinct(fn('list_concat', ...args.map((a) => asJsonArray(a, ctx))))),
  set_intersect: (args, ctx) =>
    fn(
      'to_json',
      args.map((a) => asJsonArray(a, ctx)).reduce((acc, b) => fn('list_intersect', acc, b)),
    ),
  // |A ∩ B| / |A ∪ B| over distinct elements, a dynamic number as Kusto.Language types it.
  jaccard_index: ([a, b], ctx) => {
    const set = (e: IrExpr) => fn('list_distinct', asList(ctx.expr(e)));
    const size = (l: SqlExpr) => cast(fn('len', l), 'DOUBLE');
    const ratio = op(
      '/',
      size(fn('list_intersect', set(a!), set(b!))),
      size(fn('list_distinct', fn('list_concat', set(a!), set(b!)))),
    );
    return fn('to_json', ratio);
  },
  set_difference: ([first, ...rest], ctx) => {
    const others = fn('list_concat', ...rest.map((a) => asJsonArray(a, ctx)));
    return fn(
      'to_json',
      orderedDistinct(
        fn('list_filter', asJsonArray(first!, ctx), {
          k: 'lambda',
          params: ['x'],
          body: { k: 'not', e: fn('list_contains', others, x) },
        }),
      ),
    );
  },
  zip: (args, ctx) => {
    const lists = args.map((a) => asList(ctx.expr(a)));
    const i = { k: 'col' as const, name: 'i' };
    const longest = fn('greatest', ...lists.map((l) => fn('len', l)));
    return fn(
      'to_json',
      fn('list_transform', fn('range', longest), {
        k: 'lambda',
        params: ['i'],
        body: {
          k: 'list',
          items: lists.map((l) => ({ k: 'index' as const, e: l, index: op('+', i, num(1)) })),
        },
      }),
    );
  },
  repeat: ([v, n], ctx) =>
    fn(
      'to_json',
      fn('list_transform', fn('range', fn('greatest', ctx.expr(n!), num(0))), {
        k: 'lambda',
        params: ['i'],
        body: toDynamic(v!, ctx),
      }),
    ),
  range: ([a, b, s], ctx) => {
    // Kusto's range() holds at most 2^20 values (the rest is cut off), so the stop value is
    // clamped before generating: range(1, 1000000000) stays small.
    // Any real argument makes the elements real (range(1, 3, 0.5) is 1, 1.5, …, 3).
    const anyReal = [a, b, s].some((x) => x?.type === 'real' || x?.type === 'decimal');
    const t = anyReal ? 'real' : a!.type;
    const asTicks = (e: IrExpr) =>
      e.type === 'datetime'
        ? op('//', fn('epoch_ns', ctx.expr(e)), num(100))
        : cast(ctx.expr(e), t === 'real' || t === 'decimal' ? 'DOUBLE' : 'BIGINT');
    const start = asTicks(a!);
    const step = s
      ? s.type === 'datetime'
        ? asTicks(s)
        : cast(ctx.expr(s), t === 'real' || t === 'decimal' ? 'DOUBLE' : 'BIGINT')
      : t === 'datetime' || t === 'timespan'
        ? num(36_000_000_000)
        : num(1);
    const cap = op('+', start, op('*', step, num(RANGE_MAX - 1)));
    const stop = caseWhen(
      [[op('>', step, num(0)), fn('least', asTicks(b!), cap)]],
      fn('greatest', asTicks(b!), cap),
    );
    // generate_series has no DOUBLE form: reals are start + i × step for i = 0 … ⌊(stop − start) / step⌋.
    const i = { k: 'col' as const, name: '__i' };
    const realSeries = fn(
      'list_transform',
      fn('range', num(0), op('+', cast(fn('floor', op('/', op('-', stop, start), step)), 'BIGINT'), num(1))),
      { k: 'lambda', params: ['__i'], body: op('+', start, op('*', i, step)) },
    );
    const series = caseWhen(
      [[op('=', step, num(0)), { k: 'list', items: [start] }]],
      t === 'real' ? realSeries : fn('generate_series', start, stop, step),
    );
    const v = { k: 'col' as const, name: '__v' };
    if (t === 'datetime')
      return fn(
        'to_json',
        fn('list_transform', series, {
          k: 'lambda',
          params: ['__v'],
          body: fn('socfeed_tostring_datetime', fn('make_timestamp_ns', op('*', v, num(100)))),
        }),
      );
    if (t === 'timespan')
      return fn(
        'to_json',
        fn('list_transform', series, {
          k: 'lambda',
          params: ['__v'],
          body: fn('socfeed_tostring_timespan', v),
        }),
      );
    return fn('to_json', series);
  },
  extractjson: ([path, json], ctx, e) => {
    const v = fn('json_extract_string', fn('socfeed_parse_json', ctx.expr(json!)), ctx.expr(path!));
    if (e.type === 'string') return fn('coalesce', v, str(''));
    return cast(
      v,
      e.type === 'long'
        ? 'BIGINT'
        : e.type === 'int'
          ? 'INTEGER'
          : e.type === 'real'
            ? 'DOUBLE'
            : e.type === 'bool'
              ? 'BOOLEAN'
              : e.type === 'datetime'
                ? 'TIMESTAMP_NS'
                : 'VARCHAR',
      true,
    );
  },
  gettype: ([v], ctx) => {
    if (v!.type !== 'dynamic')
      return str(v!.type === 'bool' ? 'bool' : v!.type === 'real' ? 'real' : v!.type);
    const t = fn('json_type', ctx.expr(v!));
    return caseWhen(
      [
        [op('=', t, str('VARCHAR')), str('string')],
        [op('=', t, str('BIGINT')), str('long')],
        [op('=', t, str('UBIGINT')), str('long')],
        [op('=', t, str('DOUBLE')), str('real')],
        [op('=', t, str('BOOLEAN')), str('bool')],
        [op('=', t, str('ARRAY')), str('array')],
        [op('=', t, str('OBJECT')), str('dictionary')],
      ],
      str('null'),
    );
  },
  parse_command_line: ([cmd], ctx) => {
    // Windows rules, simplified: whitespace separates arguments, double quotes group them.
    const parts = fn('regexp_extract_all', ctx.expr(cmd!), str('"[^"]*"|[^\\s"]+'));
    return fn(
      'to_json',
      fn('list_transform', parts, { k: 'lambda', params: ['x'], body: fn('replace', x, str('"'), str('')) }),
    );
  },
};
