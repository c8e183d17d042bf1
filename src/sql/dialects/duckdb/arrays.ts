import { caseWhen, cast, fn, NULL, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr, JsonLike } from '../../ir/expr.js';
import { constantDynamicToJson } from '../common/constant-lowerings.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { toDynamic } from './dynamic.js';
import type { ScalarLowering } from './scalar.js';
import { parseBagPath } from '../common/bag-path.js';

/**
 * DuckDB lowering of the array and property-bag functions that reshape dynamic arrays
 * (shift, rotate, split, array_iff, bag_zip, bag_remove_keys, replace_strings). Arrays are
 * handled as DuckDB lists of JSON values; lambda parameters use a `__` prefix so they never
 * shadow a user column of the same name.
 */

const I = { k: 'col' as const, name: '__i' };
const K = { k: 'col' as const, name: '__k' };
const lambda = (param: string, body: SqlExpr): SqlExpr => ({ k: 'lambda', params: [param], body });
const jsonNull = cast(NULL, 'JSON');

/** A dynamic value as a list of JSON elements; null when it is not an array. */
export function jsonList(e: SqlExpr): SqlExpr {
  return caseWhen([[op('=', fn('json_type', e), str('ARRAY')), fn('from_json', e, str('["JSON"]'))]]);
}

/** Element `i` (0-based SQL expression) of a list, null when out of range. */
const at = (list: SqlExpr, i: SqlExpr): SqlExpr => ({ k: 'index', e: list, index: op('+', i, num(1)) });

/** A list of JSON elements back to a dynamic array; a non-array input stays null. */
const toArray = (list: SqlExpr): SqlExpr => fn('to_json', list);

/** out[i] = in[i + n] (or the fill value outside the array). */
function shift(direction: 1 | -1): ScalarLowering {
  return ([arr, n, fill], ctx) => {
    const list = jsonList(ctx.expr(arr!));
    const len = fn('len', list);
    const by = direction === 1 ? ctx.expr(n!) : { k: 'neg' as const, e: ctx.expr(n!) };
    const src = op('+', I, by);
    const filler = fill ? toDynamic(fill, ctx) : jsonNull;
    const body = caseWhen([[op('AND', op('>=', src, num(0)), op('<', src, len)), at(list, src)]], filler);
    return toArray(fn('list_transform', fn('range', len), lambda('__i', body)));
  };
}

/** out[i] = in[(i + n) mod len]. */
function rotate(direction: 1 | -1): ScalarLowering {
  return ([arr, n], ctx) => {
    const list = jsonList(ctx.expr(arr!));
    const len = fn('len', list);
    const by = direction === 1 ? ctx.expr(n!) : { k: 'neg' as const, e: ctx.expr(n!) };
    const src = op('%', op('+', op('%', op('+', I, by), len), len), len);
    return caseWhen(
      [[op('=', len, num(0)), ctx.expr(arr!)]],
      toArray(fn('list_transform', fn('range', len), lambda('__i', at(list, src)))),
    );
  };
}

/** A JSON element as a condition: booleans as they are, numbers by != 0, anything else null. */
function jsonCondition(e: SqlExpr): SqlExpr {
  const t = fn('json_type', e);
  const text = fn('json_extract_string', e, str('$'));
  return caseWhen([
    [op('=', t, str('BOOLEAN')), op('=', text, str('true'))],
    [
      { k: 'in', e: t, list: [str('BIGINT'), str('UBIGINT'), str('DOUBLE')], negated: false },
      op('<>', cast(text, 'DOUBLE'), num(0)),
    ],
  ]);
}

/** Element i of an array argument, or the scalar argument itself. */
function pick(v: IrExpr, ctx: LowerContext): SqlExpr {
  const d = toDynamic(v, ctx);
  if (v.type !== 'dynamic') return d;
  return caseWhen(
    [[op('=', fn('json_type', d), str('ARRAY')), at(fn('from_json', d, str('["JSON"]')), I)]],
    d,
  );
}

const arrayIff: ScalarLowering = ([c, t, e], ctx) => {
  const list = jsonList(ctx.expr(c!));
  const cond = jsonCondition(at(list, I));
  const body = caseWhen(
    [
      [cond, pick(t!, ctx)],
      [{ k: 'not', e: cond }, pick(e!, ctx)],
    ],
    jsonNull,
  );
  return toArray(fn('list_transform', fn('range', fn('len', list)), lambda('__i', body)));
};

/** array_split: split points (one index or an array of them; negative counts from the end). */
const arraySplit: ScalarLowering = ([arr, idx], ctx) => {
  const list = jsonList(ctx.expr(arr!));
  const len = fn('len', list);
  const raw =
    idx!.type === 'dynamic'
      ? fn(
          'list_transform',
          jsonList(ctx.expr(idx!)),
          lambda('__k', cast(fn('json_extract_string', K, str('$')), 'BIGINT')),
        )
      : { k: 'list' as const, items: [cast(ctx.expr(idx!), 'BIGINT')] };
  const norm = fn('greatest', num(0), fn('least', len, caseWhen([[op('<', K, num(0)), op('+', len, K)]], K)));
  const bounds = fn(
    'list_concat',
    { k: 'list', items: [num(0)] },
    fn('list_transform', raw, lambda('__k', norm)),
    { k: 'list', items: [len] },
  );
  const part = fn('list_slice', list, op('+', at(bounds, I), num(1)), at(bounds, op('+', I, num(1))));
  return toArray(fn('list_transform', fn('range', op('-', fn('len', bounds), num(1))), lambda('__i', part)));
};

/** bag_zip: keys that are not strings are skipped; missing values are null. */
const bagZip: ScalarLowering = ([keys, values], ctx) => {
  const ks = jsonList(ctx.expr(keys!));
  const vs = jsonList(ctx.expr(values!));
  // String keys only; a repeated key keeps its first value (a SQL map cannot hold it twice).
  const isFirst = op(
    '=',
    fn(
      'list_position',
      fn('list_transform', ks, lambda('__k', fn('json_extract_string', K, str('$')))),
      fn('json_extract_string', at(ks, I), str('$')),
    ),
    op('+', I, num(1)),
  );
  const kept = fn(
    'list_filter',
    fn('range', fn('len', ks)),
    lambda('__i', op('AND', op('=', fn('json_type', at(ks, I)), str('VARCHAR')), isFirst)),
  );
  const names = fn('list_transform', kept, lambda('__i', fn('json_extract_string', at(ks, I), str('$'))));
  const vals = fn(
    'list_transform',
    kept,
    lambda('__i', caseWhen([[op('<', I, fn('coalesce', fn('len', vs), num(0))), at(vs, I)]], jsonNull)),
  );
  return caseWhen(
    [[{ k: 'isnull', e: ks, negated: false }, jsonNull]],
    fn('to_json', fn('map', names, vals)),
  );
};

/** A JSON merge patch setting `path` to `leaf` (a null leaf deletes the property, RFC 7386). */
export function pathPatch(path: string[], leaf: JsonLike): JsonLike {
  return path.reduceRight<JsonLike>((acc, k) => ({ [k]: acc }), leaf);
}

const bagRemoveKeys: ScalarLowering = ([bag, keys], ctx) => {
  const b = ctx.expr(bag!);
  const isObject = op('=', fn('json_type', b), str('OBJECT'));
  const k = ctx.constValue(keys!);
  if (Array.isArray(k)) {
    const paths = k.filter((x): x is string => typeof x === 'string').map(parseBagPath);
    if (paths.some((p) => !p))
      throw new UnsupportedFeature(
        'SF303',
        'bag_remove_keys() supports property names and simple $.a.b paths only',
      );
    // Shorter paths first: once `a` is gone, `$.a.x` finds no bag and changes nothing. A nested
    // path applies only where its parent is a bag (a merge patch would turn any value into {}).
    const sorted = paths.map((p) => p!).sort((x, y) => x.length - y.length);
    const patchOf = (path: string[]) => cast(str(JSON.stringify(pathPatch(path, null))), 'JSON');
    const removed = sorted.reduce<SqlExpr>((acc, path, i) => {
      if (path.length === 1) return fn('json_merge_patch', acc, patchOf(path));
      const parent = path
        .slice(0, -1)
        .map((k) => '/' + k.replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('');
      // The bag so far is bound once (a one-element list), so each step does not copy it three times.
      const cur = { k: 'col' as const, name: `__bag${i}` };
      const parentIsBag = op('=', fn('json_type', fn('json_extract', cur, str(parent))), str('OBJECT'));
      const step = caseWhen([[parentIsBag, fn('json_merge_patch', cur, patchOf(path))]], cur);
      return {
        k: 'index',
        e: fn('list_transform', { k: 'list', items: [acc] }, lambda(`__bag${i}`, step)),
        index: num(1),
      };
    }, b);
    return caseWhen([[isObject, removed]], b);
  }
  // Keys only known at run time: top-level property names.
  const names = fn(
    'list_distinct',
    fn('list_transform', jsonList(ctx.expr(keys!)), lambda('__k', fn('json_extract_string', K, str('$')))),
  );
  const patch = fn('to_json', fn('map', names, fn('list_transform', names, lambda('__k', jsonNull))));
  return caseWhen([[isObject, fn('json_merge_patch', b, patch)]], b);
};

/**
 * replace_strings: lookups are applied in order and a replaced region is never matched again.
 * Each lookup is first swapped for a private-use placeholder character, then placeholders for
 * the replacements, so a replacement's text cannot be matched by a later lookup.
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
    out = fn('replace', out, str(l), str(ph));
    const r = to[i];
    used.push([ph, r === undefined || r === null ? '' : typeof r === 'string' ? r : JSON.stringify(r)]);
  });
  for (const [ph, r] of used) out = fn('replace', out, str(ph), str(r));
  return out;
};

/** Bytes as a hex string decoded to a BLOB, so values above 0x7f stay single bytes. */
const base64FromArray: ScalarLowering = ([arr], ctx) => {
  const hexes = fn(
    'list_transform',
    jsonList(ctx.expr(arr!)),
    lambda(
      '__k',
      fn('lpad', fn('to_hex', cast(fn('json_extract_string', K, str('$')), 'INTEGER')), num(2), str('0')),
    ),
  );
  return fn('coalesce', fn('to_base64', fn('unhex', fn('array_to_string', hexes, str('')))), str(''));
};

const base64ToArray: ScalarLowering = ([s], ctx) => {
  const hex = fn('hex', fn('try', fn('from_base64', ctx.expr(s!))));
  const byte = cast(
    op('||', str('0x'), fn('substr', hex, op('+', op('*', I, num(2)), num(1)), num(2))),
    'INTEGER',
  );
  return fn(
    'to_json',
    fn('list_transform', fn('range', op('//', fn('length', hex), num(2))), lambda('__i', byte)),
  );
};

/**
 * array_sort_asc/desc(a1[, a2…][, nulls_last]): a1 is sorted (numbers by value, other values by
 * their text, nulls last unless nulls_last is false) and the other arrays are permuted the same
 * way. One array gives the sorted array; several give an array of the sorted arrays.
 */
function sortArrays(asc: boolean): ScalarLowering {
  return (args, ctx) => {
    let nullsLast = true;
    let arrays = args;
    const last = args[args.length - 1]!;
    if (args.length > 1 && last.type === 'bool') {
      const v = ctx.constValue(last);
      if (typeof v !== 'boolean')
        throw new UnsupportedFeature(
          'SF303',
          'the nulls_last argument of array_sort_asc/desc must be a constant',
        );
      nullsLast = v;
      arrays = args.slice(0, -1);
    }
    const lists = arrays.map((a) => jsonList(ctx.expr(a)));
    const x = { k: 'col' as const, name: '__x' };
    const isNullJson = op(
      'OR',
      { k: 'isnull', e: x, negated: false },
      op('=', fn('json_type', x), str('NULL')),
    );
    const nullRank = asc === nullsLast ? 1 : 0;
    const key: SqlExpr = {
      k: 'struct',
      fields: [
        ['z', caseWhen([[isNullJson, num(nullRank)]], num(1 - nullRank))],
        [
          'n',
          caseWhen([
            [
              {
                k: 'in',
                e: fn('json_type', x),
                list: [str('BIGINT'), str('UBIGINT'), str('DOUBLE')],
                negated: false,
              },
              cast(fn('json_extract_string', x, str('$')), 'DOUBLE'),
            ],
          ]),
        ],
        ['s', fn('json_extract_string', x, str('$'))],
        ['i', I],
      ],
    };
    const keyed = fn('list_transform', lists[0]!, { k: 'lambda', params: ['__x', '__i'], body: key });
    const order = fn(
      'list_transform',
      fn('list_sort', keyed, str(asc ? 'ASC' : 'DESC')),
      lambda('__k', fn('struct_extract', K, str('i'))),
    );
    const permuted = lists.map((l) =>
      fn('list_transform', order, lambda('__i', { k: 'index', e: l, index: I })),
    );
    const out = permuted.length === 1 ? permuted[0]! : ({ k: 'list', items: permuted } as SqlExpr);
    return caseWhen([[{ k: 'isnull', e: lists[0]!, negated: false }, jsonNull]], toArray(out));
  };
}

/** Distinct elements in order of first appearance (set_union, set_difference keep it). */
export function orderedDistinct(list: SqlExpr): SqlExpr {
  return fn('list_filter', list, {
    k: 'lambda',
    params: ['__x', '__i'],
    body: op('=', fn('list_position', list, { k: 'col', name: '__x' }), I),
  });
}

/**
 * parse_csv: the first CSV record of the text as an array of strings. A field is a quoted run
 * (`""` inside is one quote; commas and line breaks inside are kept) or plain text up to the next comma.
 */
const parseCsv: ScalarLowering = ([text], ctx) => {
  const record = fn('regexp_extract', ctx.expr(text!), str('^(?:"(?:[^"]|"")*"|[^"\\n])*'));
  // Each field is matched with the comma before it (one is put in front of the record), so no
  // match is empty and an empty first field (",a") is not skipped.
  const fields = fn('regexp_extract_all', op('||', str(','), record), str(',("(?:[^"]|"")*"|[^,]*)'), num(1));
  const unquote = caseWhen(
    [
      [
        fn('starts_with', K, str('"')),
        fn('replace', fn('substr', K, num(2), op('-', fn('length', K), num(2))), str('""'), str('"')),
      ],
    ],
    K,
  );
  return fn('to_json', fn('list_transform', fields, lambda('__k', unquote)));
};

/**
 * dynamic_to_json: canonical JSON text. Constants are sorted here, at any depth; values known only
 * at run time get their top-level keys sorted (nested bags keep their order).
 */
const dynamicToJson: ScalarLowering = ([d], ctx) => {
  const constant = constantDynamicToJson(d!, ctx);
  if (constant) return constant;
  if (d!.type !== 'dynamic') return fn('coalesce', cast(toDynamic(d!, ctx), 'VARCHAR'), str(''));
  const j = ctx.expr(d!);
  const keys = fn('list_sort', fn('json_keys', j));
  const sorted = fn(
    'to_json',
    fn(
      'map',
      keys,
      fn('list_transform', keys, lambda('__k', fn('json_extract', j, fn('socfeed_json_pointer', K)))),
    ),
  );
  return fn(
    'coalesce',
    cast(caseWhen([[op('=', fn('json_type', j), str('OBJECT')), sorted]], j), 'VARCHAR'),
    str(''),
  );
};

export const ARRAY_LOWERINGS: Record<string, ScalarLowering> = {
  dynamic_to_json: dynamicToJson,
  parse_csv: parseCsv,
  array_sort_asc: sortArrays(true),
  array_sort_desc: sortArrays(false),
  array_shift_left: shift(1),
  array_shift_right: shift(-1),
  array_rotate_left: rotate(1),
  array_rotate_right: rotate(-1),
  array_iff: arrayIff,
  array_split: arraySplit,
  bag_zip: bagZip,
  bag_remove_keys: bagRemoveKeys,
  replace_strings: replaceStrings,
  base64_encode_fromarray: base64FromArray,
  base64_decode_toarray: base64ToArray,
};
