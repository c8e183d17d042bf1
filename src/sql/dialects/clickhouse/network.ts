import { and, caseWhen, fn, isNull, num, op, or, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import type { ScalarLowering } from './scalar.js';

/**
 * IPv4 functions. Addresses are 32-bit values (Int64); a `/n` suffix on a string address is its
 * own prefix length, and comparisons use the shortest prefix of the arguments (Kusto's rule).
 */
const T = { k: 'col' as const, name: '__t' };
const lambda = (body: SqlExpr): SqlExpr => ({ k: 'lambda', params: ['__t'], body });
const part = (s: SqlExpr, i: number): SqlExpr => ({
  k: 'index',
  e: fn('splitByChar', str('/'), s),
  index: num(i),
});

/** Dotted quad (optionally /prefix) → its value, or null (toIPv4OrNull rejects octets > 255). */
export const parseIpv4 = (s: SqlExpr): SqlExpr => {
  const value = fn('toInt64', fn('toUInt32', fn('toIPv4OrNull', fn('trimBoth', part(fn('trimBoth', s), 1)))));
  return caseWhen([[fn('match', s, str('^\\s*\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?\\s*$')), value]]);
};
const ownPrefix = (s: SqlExpr): SqlExpr =>
  caseWhen([[op('>', fn('position', s, str('/')), num(0)), fn('toInt64OrNull', part(s, 2))]], num(32));

interface Addr {
  value: SqlExpr;
  prefix: SqlExpr;
}

function addr(e: IrExpr, ctx: LowerContext): Addr {
  const s = ctx.expr(e);
  if (e.type === 'string') return { value: parseIpv4(s), prefix: ownPrefix(s) };
  return { value: fn('toInt64', s), prefix: num(32) };
}

const masked = (v: SqlExpr, prefix: SqlExpr) => fn('bitShiftRight', v, op('-', num(32), prefix));

function sameNet(a: Addr, b: Addr, prefix: SqlExpr): SqlExpr {
  return caseWhen(
    [[or(isNull(a.value), isNull(b.value)), { k: 'null' }]],
    op('=', masked(a.value, prefix), masked(b.value, prefix)),
  );
}

const dotted = (v: SqlExpr): SqlExpr => fn('IPv4NumToString', fn('toUInt32', v));

function format(withMask: boolean): ScalarLowering {
  return ([ip, p], ctx) => {
    const a = addr(ip!, ctx);
    const want = p ? ctx.expr(p) : num(32);
    const prefix = fn('least', a.prefix, want);
    const net = fn('bitShiftLeft', masked(a.value, prefix), op('-', num(32), prefix));
    const text = withMask ? fn('concat', dotted(net), str('/'), fn('toString', prefix)) : dotted(net);
    const invalid = or(isNull(a.value), isNull(want), op('<', want, num(0)), op('>', want, num(32)));
    return fn('ifNull', caseWhen([[invalid, str('')]], text), str(''));
  };
}

/** Dotted quads standing alone in a text (not part of a longer word or dotted sequence), valid octets only. */
function addressesIn(text: SqlExpr): SqlExpr {
  const tokens = fn('extractAll', text, str('[0-9A-Za-z.]+'));
  return fn(
    'arrayFilter',
    lambda(and(fn('match', T, str('^\\d{1,3}(\\.\\d{1,3}){3}$')), isNull(fn('toIPv4OrNull', T), true))),
    tokens,
  );
}

function matchAny(text: SqlExpr, needles: SqlExpr[], prefix: boolean): SqlExpr {
  const found = addressesIn(text);
  const tests = needles.map((n) => {
    const exact = and(
      fn('match', n, str('^\\d{1,3}(\\.\\d{1,3}){3}$')),
      isNull(fn('toIPv4OrNull', n), true),
      fn('has', found, n),
    );
    if (!prefix) return exact;
    const octetsOk = fn(
      'arrayAll',
      lambda(op('<=', fn('toInt32OrZero', T), num(255))),
      fn('splitByChar', str('.'), fn('trimRight', n, str('.'))),
    );
    const partial = and(
      fn('match', n, str('^(\\d{1,3}\\.){1,3}$')),
      octetsOk,
      fn('arrayExists', lambda(fn('startsWith', T, n)), found),
    );
    return or(exact, partial);
  });
  return fn('ifNull', or(...tests), { k: 'bool', value: false });
}

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

/**
 * ipv4_range_to_cidr_list(start, end): the fewest CIDR blocks covering start..end. Each step takes
 * the largest block that starts at the current address (limited by its lowest set bit) and does
 * not pass the end; 64 steps always suffice for 32-bit ranges. The state is (next address, blocks).
 */
const rangeToCidrs: ScalarLowering = ([a, z], ctx) => {
  const start = parseIpv4(ctx.expr(a!));
  const end = parseIpv4(ctx.expr(z!));
  const last = fn('assumeNotNull', end);
  const acc = { k: 'col' as const, name: '__acc' };
  const cur = fn('tupleElement', acc, num(1));
  const out = fn('tupleElement', acc, num(2));
  const lowBit = caseWhen([[op('=', cur, num(0)), num(4294967296)]], fn('bitAnd', cur, { k: 'neg', e: cur }));
  const fits = fn(
    'toInt64',
    fn('pow', num(2), fn('floor', fn('log2', fn('toFloat64', op('+', op('-', last, cur), num(1)))))),
  );
  const size = fn('toInt64', fn('least', lowBit, fits));
  const prefix = op('-', num(32), fn('toInt64', fn('round', fn('log2', fn('toFloat64', size)))));
  const block = fn('concat', dotted(cur), str('/'), fn('toString', prefix));
  const step = caseWhen(
    [[op('>', cur, last), acc]],
    fn('tuple', fn('toInt64', op('+', cur, size)), fn('arrayPushBack', out, block)),
  );
  const init = fn('tuple', fn('toInt64', fn('assumeNotNull', start)), {
    k: 'cast',
    e: { k: 'list', items: [] },
    type: 'Array(String)',
  });
  const folded = fn(
    'arrayFold',
    { k: 'lambda', params: ['__acc', '__n'], body: step },
    fn('range', num(64)),
    init,
  );
  const blocks = fn('arrayMap', lambda(fn('toJSONString', T)), fn('tupleElement', folded, num(2)));
  return caseWhen(
    [[or(isNull(start), isNull(end), op('>', start, end)), { k: 'null' }]],
    fn('concat', str('['), fn('arrayStringConcat', blocks, str(',')), str(']')),
  );
};

export const NETWORK_LOWERINGS: Record<string, ScalarLowering> = {
  ipv4_range_to_cidr_list: rangeToCidrs,
  parse_ipv4: ([s], ctx) => parseIpv4(ctx.expr(s!)),
  parse_ipv4_mask: ([s, p], ctx) => {
    const a = addr(s!, ctx);
    const prefix = fn('least', a.prefix, ctx.expr(p!));
    return fn('bitShiftLeft', masked(a.value, prefix), op('-', num(32), prefix));
  },
  ipv4_is_private: ([s], ctx) => {
    const a = addr(s!, ctx);
    const within = (net: string, bits: number) =>
      sameNet(a, { value: parseIpv4(str(net)), prefix: num(bits) }, fn('least', a.prefix, num(bits)));
    return caseWhen(
      [[isNull(a.value), { k: 'null' }]],
      or(within('10.0.0.0', 8), within('172.16.0.0', 12), within('192.168.0.0', 16)),
    );
  },
  ipv4_is_in_range: ([ip, cidr], ctx) => {
    const a = addr(ip!, ctx);
    const b = addr(cidr!, ctx);
    return sameNet(a, b, fn('least', a.prefix, b.prefix));
  },
  ipv4_is_in_any_range: ([ip, ...ranges], ctx) => {
    const a = addr(ip!, ctx);
    const items = ranges.flatMap((r) =>
      r.kind === 'const' && r.type === 'dynamic' && Array.isArray(r.value)
        ? r.value.map((v) => str(String(v)))
        : [ctx.expr(r)],
    );
    return or(
      ...items.map((c) =>
        sameNet(a, { value: parseIpv4(c), prefix: ownPrefix(c) }, fn('least', a.prefix, ownPrefix(c))),
      ),
    );
  },
  ipv4_is_match: ([x, y, p], ctx) => {
    const a = addr(x!, ctx);
    const b = addr(y!, ctx);
    return sameNet(a, b, p ? fn('least', a.prefix, b.prefix, ctx.expr(p)) : fn('least', a.prefix, b.prefix));
  },
  ipv4_compare: ([x, y, p], ctx) => {
    const a = addr(x!, ctx);
    const b = addr(y!, ctx);
    const prefix = p ? fn('least', a.prefix, b.prefix, ctx.expr(p)) : fn('least', a.prefix, b.prefix);
    return fn('toInt64', fn('sign', op('-', masked(a.value, prefix), masked(b.value, prefix))));
  },
  ipv4_netmask_suffix: ([s], ctx) => {
    const a = addr(s!, ctx);
    return caseWhen([[isNull(a.value), { k: 'null' }]], fn('toInt32', a.prefix));
  },
  format_ipv4: format(false),
  format_ipv4_mask: format(true),
  has_ipv4: ([s, ip], ctx) => matchAny(ctx.expr(s!), [ctx.expr(ip!)], false),
  has_ipv4_prefix: ([s, p], ctx) => matchAny(ctx.expr(s!), [ctx.expr(p!)], true),
  has_any_ipv4: ([s, ...ips], ctx) => matchAny(ctx.expr(s!), needleList(ips, ctx), false),
  has_any_ipv4_prefix: ([s, ...ps], ctx) => matchAny(ctx.expr(s!), needleList(ps, ctx), true),
  tohex: ([x, minLength], ctx) => {
    const v = fn('toInt64', ctx.expr(x!));
    const bits =
      x!.type === 'int' ? caseWhen([[op('<', v, num(0)), fn('bitAnd', v, num(4294967295))]], v) : v;
    const hex = fn('lower', fn('replaceRegexpOne', fn('hex', bits), str('^0+(.)'), str('\\1')));
    const padded = minLength
      ? fn('leftPad', hex, fn('toUInt64', fn('greatest', fn('length', hex), ctx.expr(minLength))), str('0'))
      : hex;
    return fn('ifNull', padded, str(''));
  },
};
