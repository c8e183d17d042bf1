import { caseWhen, fn, isNull, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { toDynamic, toText } from './convert.js';
import { jsonType, ticks } from './text.js';
import type { ScalarLowering } from './scalar.js';
import { constantDynamicToJson, lowerHash, type RuntimeHash } from '../common/constant-lowerings.js';

/**
 * indexof(text, lookup[, start[, length[, occurrence]]]) and array_index_of(array, value, …), with
 * the DuckDB dialect's window rules: `length` positions from `start` (negative: from the end; -1:
 * to the end); the n-th occurrence restarts one past the previous hit.
 */
interface Finder {
  len: SqlExpr;
  find(from: SqlExpr, count: SqlExpr): SqlExpr;
}

function occurrences(
  f: Finder,
  start: IrExpr | undefined,
  length: IrExpr | undefined,
  occurrence: IrExpr | undefined,
  ctx: LowerContext,
): SqlExpr {
  const s = start ? fn('toInt64', ctx.expr(start)) : num(0);
  const count = length ? fn('toInt64', ctx.expr(length)) : num(-1);
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

const u = (e: SqlExpr) => fn('toUInt64', fn('greatest', e, num(0)));

/**
 * ClickHouse's xxHash64 is XXH64 with seed 0 (UInt64). A datetime hashes as its .NET ticks, 8
 * little-endian bytes: reinterpret as FixedString(8) keeps all eight (reinterpretAsString would
 * drop trailing zero bytes).
 */
const CLICKHOUSE_HASH: RuntimeHash = {
  string: (s) => fn('reinterpretAsInt64', fn('xxHash64', s)),
  datetime: (t) =>
    caseWhen(
      [[isNull(t), { k: 'null' }]],
      fn(
        'reinterpretAsInt64',
        fn('xxHash64', fn('reinterpret', op('+', ticks(t), num(621355968000000000n)), str('FixedString(8)'))),
      ),
    ),
};

export const POSITION_LOWERINGS: Record<string, ScalarLowering> = {
  /** hash(x[, mod]): XXH64 of constants when compiling, else ClickHouse's own xxHash64 (same bits, read as signed). */
  hash: (args, ctx) => lowerHash(args, ctx, CLICKHOUSE_HASH),
  /** dynamic_to_json: canonical text of constants; values known only at run time are not supported yet. */
  dynamic_to_json: ([d], ctx) => {
    const constant = constantDynamicToJson(d!, ctx);
    if (!constant)
      throw new UnsupportedFeature(
        'SF303',
        'dynamic_to_json() of a non-constant value is not supported on ClickHouse yet',
      );
    return constant;
  },
  kv_lookup: ([source, regex, key], ctx) => {
    const s = ctx.expr(source!);
    const re = ctx.expr(regex!);
    const pairs = fn('extractAllGroupsVertical', s, re);
    const K = { k: 'col' as const, name: '__k' };
    const keys = fn(
      'arrayMap',
      { k: 'lambda', params: ['__k'], body: fn('trimBoth', { k: 'index', e: K, index: num(1) }) },
      pairs,
    );
    const pos = fn('indexOf', keys, ctx.expr(key!));
    return caseWhen([[op('=', pos, num(0)), str('')]], {
      k: 'index',
      e: { k: 'index', e: pairs, index: pos },
      index: num(2),
    });
  },
  indexof: ([text, lookup, start, length, occurrence], ctx) => {
    const t = toText(text!, ctx);
    const needle = toText(lookup!, ctx);
    const finder: Finder = {
      len: fn('toInt64', fn('lengthUTF8', t)),
      find: (from, count) => {
        const window = caseWhen(
          [[op('<', count, num(0)), fn('substringUTF8', t, u(op('+', from, num(1))))]],
          fn('substringUTF8', t, u(op('+', from, num(1))), u(count)),
        );
        const p = fn('toInt64', fn('positionUTF8', window, needle));
        return caseWhen([[op('=', p, num(0)), num(-1)]], op('+', from, op('-', p, num(1))));
      },
    };
    return occurrences(finder, start, length, occurrence, ctx);
  },
  array_index_of: ([arr, value, start, length, occurrence], ctx) => {
    const j = ctx.expr(arr!);
    const list = fn('JSONExtractArrayRaw', fn('ifNull', j, str('[]')));
    const v = fn('ifNull', toDynamic(value!, ctx), str('null'));
    const finder: Finder = {
      len: fn('toInt64', fn('length', list)),
      find: (from, count) => {
        const window = caseWhen(
          [[op('<', count, num(0)), fn('arraySlice', list, op('+', from, num(1)))]],
          fn('arraySlice', list, op('+', from, num(1)), fn('greatest', count, num(0))),
        );
        const p = fn('toInt64', fn('indexOf', window, v));
        return caseWhen([[op('=', p, num(0)), num(-1)]], op('+', from, op('-', p, num(1))));
      },
    };
    return caseWhen(
      [
        [isNull(j), { k: 'null' }],
        [op('<>', jsonType(j), str('Array')), { k: 'null' }],
      ],
      occurrences(finder, start, length, occurrence, ctx),
    );
  },
};
