import { caseWhen, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import { UnsupportedFeature } from '../dialect.js';
import type { ScalarLowering } from './scalar.js';
import { parseJson, toDynamic, toText } from './convert.js';
import { jsonType } from './text.js';
import { parseBagPath } from '../common/bag-path.js';

/**
 * dynamic values are JSON text. Arrays are taken apart with JSONExtractArrayRaw (an
 * Array(String) of element texts) and rebuilt by joining element texts, so nested values keep
 * their exact JSON.
 */
const elements = (j: SqlExpr): SqlExpr => fn('JSONExtractArrayRaw', fn('ifNull', j, str('[]')));
export const jsonArray = (items: SqlExpr): SqlExpr =>
  fn('concat', str('['), fn('arrayStringConcat', items, str(',')), str(']'));
const isArray = (j: SqlExpr) => op('=', jsonType(j), str('Array'));
const isObject = (j: SqlExpr) => op('=', jsonType(j), str('Object'));
/** Element text normalised (JSON re-serialised) so equal values compare equal. */
const x = { k: 'col' as const, name: 'x' };

/** A constant `$.a.b` / `$['a']['b']` key → the property path; undefined otherwise. */
function bagPath(key: unknown): string[] | undefined {
  return typeof key === 'string' && key.startsWith('$') ? parseBagPath(key) : undefined;
}

export const DYNAMIC_LOWERINGS: Record<string, ScalarLowering> = {
  todynamic: ([v], ctx) => (v!.type === 'string' ? parseJson(ctx.expr(v!)) : toDynamic(v!, ctx)),
  parse_json: ([v], ctx) => (v!.type === 'string' ? parseJson(ctx.expr(v!)) : toDynamic(v!, ctx)),
  dyn_get: ([d, k], ctx) => {
    const j = ctx.expr(d!);
    const key = k!.type === 'string' ? ctx.expr(k!) : toText(k!, ctx);
    return caseWhen([[op('AND', isObject(j), fn('JSONHas', j, key)), fn('JSONExtractRaw', j, key)]]);
  },
  dyn_index: ([d, i], ctx) => {
    const j = ctx.expr(d!);
    const idx = ctx.expr(i!);
    // JSONExtractRaw counts from 1 (and from the end when negative).
    const pos = caseWhen([[op('<', idx, num(0)), idx]], op('+', idx, num(1)));
    return caseWhen([
      [
        op('AND', isArray(j), fn('JSONHas', j, fn('toInt64', pos))),
        fn('JSONExtractRaw', j, fn('toInt64', pos)),
      ],
    ]);
  },
  array_length: ([d], ctx) => {
    const j = ctx.expr(d!);
    return caseWhen([[isArray(j), fn('toInt64', fn('JSONLength', j))]]);
  },
  pack_array: (args, ctx) =>
    jsonArray({ k: 'list', items: args.map((a) => fn('ifNull', toDynamic(a, ctx), str('null'))) }),
  bag_pack: (args, ctx) => {
    if (args.length % 2 !== 0) throw new UnsupportedFeature('SF303', 'bag_pack() needs key/value pairs');
    const parts: SqlExpr[] = [];
    for (let i = 0; i < args.length; i += 2)
      parts.push(
        fn(
          'concat',
          fn('toJSONString', toText(args[i]!, ctx)),
          str(':'),
          fn('ifNull', toDynamic(args[i + 1]!, ctx), str('null')),
        ),
      );
    return fn('concat', str('{'), fn('arrayStringConcat', { k: 'list', items: parts }, str(',')), str('}'));
  },
  bag_keys: ([d], ctx) => {
    const j = ctx.expr(d!);
    return caseWhen([[isObject(j), fn('toJSONString', fn('JSONExtractKeys', fn('assumeNotNull', j)))]]);
  },
  bag_has_key: ([d, k], ctx) => {
    const j = ctx.expr(d!);
    // A constant `$.a.b` / `$['a']` key is a path into nested bags.
    const path = bagPath(ctx.constValue(k!));
    const keys = path ? path.map((p) => str(p)) : [ctx.expr(k!)];
    return fn('ifNull', op('AND', isObject(j), fn('JSONHas', j, ...keys)), { k: 'bool', value: false });
  },
  bag_pack_nonempty: (args, ctx) => {
    const members: SqlExpr[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const v = args[i + 1]!;
      const x = ctx.expr(v);
      const d = toDynamic(v, ctx);
      const empty =
        v.type === 'string'
          ? op('=', x, str(''))
          : fn('ifNull', op('OR', { k: 'isnull', e: d, negated: false }, op('=', d, str('null'))), {
              k: 'bool',
              value: true,
            });
      members.push(
        caseWhen(
          [[empty, str('')]],
          fn('concat', fn('toJSONString', toText(args[i]!, ctx)), str(':'), fn('assumeNotNull', d)),
        ),
      );
    }
    const kept = fn(
      'arrayFilter',
      { k: 'lambda', params: ['__x'], body: op('<>', { k: 'col', name: '__x' }, str('')) },
      { k: 'list', items: members },
    );
    return fn('concat', str('{'), fn('arrayStringConcat', kept, str(',')), str('}'));
  },
  array_concat: (args, ctx) => jsonArray(fn('arrayConcat', ...args.map((a) => elements(ctx.expr(a))))),
  array_reverse: ([arr], ctx) =>
    caseWhen([[isArray(ctx.expr(arr!)), jsonArray(fn('arrayReverse', elements(ctx.expr(arr!))))]]),
  array_sum: ([arr], ctx) =>
    fn(
      'arraySum',
      fn(
        'arrayMap',
        { k: 'lambda', params: ['x'], body: fn('toFloat64OrZero', x) },
        elements(ctx.expr(arr!)),
      ),
    ),
  set_has_element: ([arr, v], ctx) =>
    fn('has', elements(ctx.expr(arr!)), fn('ifNull', toDynamic(v!, ctx), str('null'))),
  array_slice: ([arr, s, e], ctx) => {
    const els = elements(ctx.expr(arr!));
    const n = fn('toInt64', fn('length', els));
    const norm = (v: SqlExpr) => caseWhen([[op('<', v, num(0)), op('+', n, v)]], v);
    const start = fn('greatest', norm(ctx.expr(s!)), num(0));
    const end = fn('least', norm(ctx.expr(e!)), op('-', n, num(1)));
    return jsonArray(
      fn(
        'arraySlice',
        els,
        op('+', start, num(1)),
        fn('greatest', op('+', op('-', end, start), num(1)), num(0)),
      ),
    );
  },
  gettype: ([v], ctx) => {
    if (v!.type !== 'dynamic') return str(v!.type);
    const t = jsonType(ctx.expr(v!));
    return caseWhen(
      [
        [op('=', t, str('String')), str('string')],
        [op('=', t, str('Int64')), str('long')],
        [op('=', t, str('UInt64')), str('long')],
        [op('=', t, str('Double')), str('real')],
        [op('=', t, str('Bool')), str('bool')],
        [op('=', t, str('Array')), str('array')],
        [op('=', t, str('Object')), str('dictionary')],
      ],
      str('null'),
    );
  },
  extractjson: ([path, json], ctx, e) => {
    const p = ctx.constValue(path!);
    if (typeof p !== 'string' || !/^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/.test(p))
      throw new UnsupportedFeature('SF303', 'extractjson() needs a constant simple JSON path on ClickHouse');
    const keys: SqlExpr[] = [...p.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)].map((m) =>
      m[1] !== undefined ? str(m[1]) : num(Number(m[2]) + 1),
    );
    const j = ctx.expr(json!);
    const raw = keys.length ? fn('JSONExtractRaw', j, ...keys) : j;
    const text = caseWhen([[op('=', jsonType(raw), str('String')), fn('JSONExtractString', raw)]], raw);
    if (e.type === 'string') return fn('ifNull', text, str(''));
    return fn(
      'accurateCastOrNull',
      fn('nullIf', text, str('')),
      str(
        e.type === 'long'
          ? 'Int64'
          : e.type === 'int'
            ? 'Int32'
            : e.type === 'real'
              ? 'Float64'
              : e.type === 'bool'
                ? 'Bool'
                : 'String',
      ),
    );
  },
  parse_command_line: ([cmd], ctx) => {
    const parts = fn('extractAll', ctx.expr(cmd!), str('"[^"]*"|[^\\s"]+'));
    return fn(
      'toJSONString',
      fn('arrayMap', { k: 'lambda', params: ['x'], body: fn('replaceAll', x, str('"'), str('')) }, parts),
    );
  },
};
