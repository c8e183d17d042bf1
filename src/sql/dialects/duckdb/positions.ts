import { caseWhen, cast, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { jsonList } from './arrays.js';
import { lowerHash, type RuntimeHash } from '../common/constant-lowerings.js';
import { toDynamic } from './dynamic.js';
import { toText, type ScalarLowering } from './scalar.js';

/**
 * indexof(text, lookup[, start[, length[, occurrence]]]) and array_index_of(array, value, …).
 * Kusto searches `length` positions from `start` (negative: counted from the end; -1 length:
 * to the end) and the lookup must fit inside that window. For the n-th occurrence the search
 * restarts one past the previous hit with the same window length, as Kusto does (so
 * indexof("abcdefgabcdefg", "cde", 1, 10, 2) is 9).
 */

interface Finder {
  /** Length of the searched value (characters or elements). */
  len: SqlExpr;
  /** 0-based position of the first hit at or after `from` within `count` positions (-1: none). */
  find(from: SqlExpr, count: SqlExpr): SqlExpr;
}

function occurrences(
  f: Finder,
  start: IrExpr | undefined,
  length: IrExpr | undefined,
  occurrence: IrExpr | undefined,
  ctx: LowerContext,
): SqlExpr {
  const s = start ? cast(ctx.expr(start), 'BIGINT') : num(0);
  const count = length ? cast(ctx.expr(length), 'BIGINT') : num(-1);
  const n = occurrence ? ctx.constValue(occurrence) : 1n;
  if (typeof n !== 'bigint' && typeof n !== 'number')
    throw new UnsupportedFeature('SF303', 'the occurrence argument must be a constant');
  if (Number(n) < 1 || Number(n) > 16)
    throw new UnsupportedFeature('SF303', 'the occurrence argument must be between 1 and 16');
  const from = fn('greatest', num(0), caseWhen([[op('<', s, num(0)), op('+', f.len, s)]], s));
  let hit = f.find(from, count);
  for (let i = 1; i < Number(n); i++) {
    const prev = hit;
    hit = caseWhen([[op('<', prev, num(0)), num(-1)]], f.find(op('+', prev, num(1)), count));
  }
  return caseWhen([[op('>', from, f.len), num(-1)]], hit);
}

const DUCKDB_HASH: RuntimeHash = {
  string: (s) => fn('socfeed_hash_string', s),
  datetime: (t) => fn('socfeed_hash_datetime', t),
};

export const POSITION_LOWERINGS: Record<string, ScalarLowering> = {
  /** hash(x[, mod]): XXH64 of constants when compiling, else the SQL macros of xxhash.ts. */
  hash: (args, ctx) => lowerHash(args, ctx, DUCKDB_HASH),
  /** Internal (parse-kv with regex): the value group of the first match whose key group is `key`, else "". */
  kv_lookup: ([source, regex, key], ctx) => {
    const s = ctx.expr(source!);
    const re = ctx.expr(regex!);
    const keys = fn('list_transform', fn('regexp_extract_all', s, re, num(1)), {
      k: 'lambda',
      params: ['__k'],
      body: fn('trim', { k: 'col', name: '__k' }),
    });
    const values = fn('regexp_extract_all', s, re, num(2));
    return fn(
      'coalesce',
      { k: 'index', e: values, index: fn('list_position', keys, ctx.expr(key!)) },
      str(''),
    );
  },
  indexof: ([text, lookup, start, length, occurrence], ctx) => {
    const t = toText(text!, ctx);
    const needle = toText(lookup!, ctx);
    const finder: Finder = {
      len: cast(fn('length', t), 'BIGINT'),
      find: (from, count) => {
        const window = caseWhen(
          [[op('<', count, num(0)), fn('substr', t, op('+', from, num(1)))]],
          fn('substr', t, op('+', from, num(1)), count),
        );
        const p = fn('strpos', window, needle);
        return caseWhen([[op('=', p, num(0)), num(-1)]], cast(op('+', from, op('-', p, num(1))), 'BIGINT'));
      },
    };
    return occurrences(finder, start, length, occurrence, ctx);
  },
  array_index_of: ([arr, value, start, length, occurrence], ctx) => {
    const list = jsonList(ctx.expr(arr!));
    const v = toDynamic(value!, ctx);
    const finder: Finder = {
      len: cast(fn('len', list), 'BIGINT'),
      find: (from, count) => {
        const end = caseWhen([[op('<', count, num(0)), fn('len', list)]], op('+', from, count));
        const p = fn('list_position', fn('list_slice', list, op('+', from, num(1)), end), v);
        return caseWhen(
          [[op('OR', { k: 'isnull', e: p, negated: false }, op('=', p, num(0))), num(-1)]],
          cast(op('+', from, op('-', p, num(1))), 'BIGINT'),
        );
      },
    };
    return caseWhen(
      [[{ k: 'isnull', e: list, negated: false }, cast({ k: 'null' }, 'BIGINT')]],
      occurrences(finder, start, length, occurrence, ctx),
    );
  },
};
