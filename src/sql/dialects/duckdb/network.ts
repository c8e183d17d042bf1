import { and, caseWhen, cast, fn, isNull, NULL, num, op, or, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import type { ScalarLowering } from './scalar.js';

/**
 * DuckDB lowering of the IPv4 functions that compare, format and search addresses. Addresses are
 * 32-bit values from the socfeed_parse_ipv4 macro; a `/n` suffix on a string address is its own
 * prefix length, and comparisons use the shortest prefix of the arguments (Kusto's rule).
 */

const T = { k: 'col' as const, name: '__t' };
const lambda = (body: SqlExpr): SqlExpr => ({ k: 'lambda', params: ['__t'], body });

interface Addr {
  value: SqlExpr;
  prefix: SqlExpr;
}

function addr(e: IrExpr, ctx: LowerContext): Addr {
  const s = ctx.expr(e);
  if (e.type === 'string')
    return { value: fn('socfeed_parse_ipv4', s), prefix: fn('socfeed_ipv4_prefix', s) };
  return { value: cast(s, 'BIGINT'), prefix: num(32) };
}

const masked = (v: SqlExpr, prefix: SqlExpr) => op('>>', v, op('-', num(32), prefix));

const dotted = (v: SqlExpr): SqlExpr =>
  fn(
    'concat_ws',
    str('.'),
    ...[24, 16, 8, 0].map((shift) => cast(op('&', op('>>', v, num(shift)), num(255)), 'VARCHAR')),
  );

/** Prefix to compare on: the shortest of the addresses' own prefixes and the explicit one. */
function comparePrefix(a: Addr, b: Addr, explicit: IrExpr | undefined, ctx: LowerContext): SqlExpr {
  return explicit ? fn('least', a.prefix, b.prefix, ctx.expr(explicit)) : fn('least', a.prefix, b.prefix);
}

const compare: ScalarLowering = ([x, y, p], ctx) => {
  const a = addr(x!, ctx);
  const b = addr(y!, ctx);
  const prefix = comparePrefix(a, b, p, ctx);
  return cast(fn('sign', op('-', masked(a.value, prefix), masked(b.value, prefix))), 'BIGINT');
};

function format(withMask: boolean): ScalarLowering {
  return ([ip, p], ctx) => {
    const a = addr(ip!, ctx);
    const want = p ? ctx.expr(p) : num(32);
    const prefix = fn('least', a.prefix, want);
    const net = op('<<', masked(a.value, prefix), op('-', num(32), prefix));
    const text = withMask ? op('||', op('||', dotted(net), str('/')), cast(prefix, 'VARCHAR')) : dotted(net);
    const invalid = or(isNull(a.value), isNull(want), op('<', want, num(0)), op('>', want, num(32)));
    return caseWhen([[invalid, str('')]], text);
  };
}

/** Dotted quads standing alone in a text (not part of a longer word or dotted sequence), valid octets only. */
function addressesIn(text: SqlExpr): SqlExpr {
  const tokens = fn('regexp_extract_all', text, str('[0-9A-Za-z.]+'));
  const isAddr = and(
    fn('regexp_matches', T, str('^\\d{1,3}(\\.\\d{1,3}){3}$')),
    isNull(fn('socfeed_parse_ipv4', T), true),
  );
  return fn('list_filter', tokens, lambda(isAddr));
}

/** A prefix is valid when it is whole octets followed by a dot, or a complete address. */
const VALID_PREFIX = '^(\\d{1,3}\\.){1,3}$';

function matchAny(text: SqlExpr, needles: SqlExpr[], prefix: boolean): SqlExpr {
  const found = addressesIn(text);
  const tests = needles.map((n) => {
    const full = isNull(fn('socfeed_parse_ipv4', n), true);
    const exact = and(
      full,
      fn('regexp_matches', n, str('^\\d{1,3}(\\.\\d{1,3}){3}$')),
      fn('list_contains', found, n),
    );
    if (!prefix) return exact;
    const octetsOk = fn(
      'list_bool_and',
      fn(
        'list_transform',
        fn('string_split', fn('rtrim', n, str('.')), str('.')),
        lambda(op('<=', cast(T, 'INTEGER'), num(255))),
      ),
    );
    const partial = and(
      fn('regexp_matches', n, str(VALID_PREFIX)),
      octetsOk,
      fn('list_bool_or', fn('list_transform', found, lambda(fn('starts_with', T, n)))),
    );
    return or(exact, partial);
  });
  return fn('coalesce', or(...tests), { k: 'bool', value: false });
}

/** Needles given as several string arguments or as dynamic arrays. */
function needleList(args: IrExpr[], ctx: LowerContext): SqlExpr[] {
  const out: SqlExpr[] = [];
  for (const a of args) {
    const v = ctx.constValue(a);
    if (a.type === 'dynamic' && Array.isArray(v)) out.push(...v.map((x) => str(x === null ? '' : String(x))));
    else if (a.type === 'dynamic')
      throw new UnsupportedFeature(
        'SF303',
        'has_any_ipv4() with an address list only known at run time is not supported',
      );
    else out.push(ctx.expr(a));
  }
  return out;
}

/** tohex(n[, minLength]): lower-case two's complement hex (32-bit for int, 64-bit otherwise). */
const toHex: ScalarLowering = ([x, minLength], ctx) => {
  const v = cast(ctx.expr(x!), 'BIGINT');
  const bits = x!.type === 'int' ? caseWhen([[op('<', v, num(0)), op('&', v, num(4294967295))]], v) : v;
  const hex = fn('lower', fn('to_hex', bits));
  const padded = minLength
    ? fn('lpad', hex, cast(fn('greatest', fn('length', hex), ctx.expr(minLength)), 'INTEGER'), str('0'))
    : hex;
  return fn('coalesce', padded, str(''));
};

/**
 * ipv4_range_to_cidr_list(start, end): the fewest CIDR blocks covering start..end. Each step takes
 * the largest block that starts at the current address (limited by its lowest set bit) and does
 * not pass the end; 64 steps always suffice for 32-bit ranges.
 */
const rangeToCidrs: ScalarLowering = ([a, z], ctx) => {
  const start = fn('socfeed_parse_ipv4', ctx.expr(a!));
  const end = fn('socfeed_parse_ipv4', ctx.expr(z!));
  const acc = { k: 'col' as const, name: '__acc' };
  const cur = fn('struct_extract', acc, str('cur'));
  const out = fn('struct_extract', acc, str('out'));
  const lowBit = caseWhen([[op('=', cur, num(0)), num(4294967296)]], op('&', cur, { k: 'neg', e: cur }));
  const fits = cast(
    fn('pow', num(2), fn('floor', fn('log2', cast(op('+', op('-', end, cur), num(1)), 'DOUBLE')))),
    'BIGINT',
  );
  const size = fn('least', lowBit, fits);
  const prefix = op('-', num(32), cast(fn('round', fn('log2', cast(size, 'DOUBLE'))), 'BIGINT'));
  const block = op('||', op('||', dotted(cur), str('/')), cast(prefix, 'VARCHAR'));
  const step: SqlExpr = caseWhen([[op('>', cur, end), acc]], {
    k: 'struct',
    fields: [
      ['cur', op('+', cur, size)],
      ['out', fn('list_append', out, block)],
    ],
  });
  const init: SqlExpr = {
    k: 'struct',
    fields: [
      ['cur', cast(start, 'BIGINT')],
      ['out', cast({ k: 'list', items: [] }, 'VARCHAR[]')],
    ],
  };
  // list_reduce needs list elements of the state's type: 65 copies of the start state, the first being the seed.
  const seeds = fn('list_transform', fn('range', num(65)), { k: 'lambda', params: ['__n'], body: init });
  const reduced = fn('list_reduce', seeds, { k: 'lambda', params: ['__acc', '__n'], body: step });
  return caseWhen(
    [[or(isNull(start), isNull(end), op('>', start, end)), cast(NULL, 'JSON')]],
    fn('to_json', fn('struct_extract', reduced, str('out'))),
  );
};

export const NETWORK_LOWERINGS: Record<string, ScalarLowering> = {
  ipv4_range_to_cidr_list: rangeToCidrs,
  tohex: toHex,
  ipv4_compare: compare,
  ipv4_is_match: (args, ctx) =>
    op('=', compare(args, ctx, { kind: 'call', fn: 'ipv4_compare', type: 'long', args }), num(0)),
  format_ipv4: format(false),
  format_ipv4_mask: format(true),
  ipv4_netmask_suffix: ([ip], ctx) =>
    caseWhen(
      [
        [
          isNull(fn('socfeed_parse_ipv4', ctx.expr(ip!)), true),
          cast(fn('socfeed_ipv4_prefix', ctx.expr(ip!)), 'BIGINT'),
        ],
      ],
      cast(NULL, 'BIGINT'),
    ),
  has_ipv4: ([s, ip], ctx) => matchAny(ctx.expr(s!), [ctx.expr(ip!)], false),
  has_ipv4_prefix: ([s, p], ctx) => matchAny(ctx.expr(s!), [ctx.expr(p!)], true),
  has_any_ipv4: ([s, ...ips], ctx) => matchAny(ctx.expr(s!), needleList(ips, ctx), false),
  has_any_ipv4_prefix: ([s, ...ps], ctx) => matchAny(ctx.expr(s!), needleList(ps, ctx), true),
};
