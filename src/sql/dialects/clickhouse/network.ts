import { caseWhen, fn, isNull, num, op, or, str, type SqlExpr } from '../../ast/nodes.js';
import { UnsupportedFeature } from '../dialect.js';
import type { ScalarLowering } from './scalar.js';

/** Dotted-quad IPv4 (optionally /prefix) → its 32-bit value as Int64, or null. */
const parse = (s: SqlExpr): SqlExpr => fn('toInt64', fn('toIPv4OrNull', fn('trimBoth', { k: 'index', e: fn('splitByChar', str('/'), s), index: num(1) })));
const prefix = (s: SqlExpr): SqlExpr => caseWhen([[op('>', fn('position', s, str('/')), num(0)), fn('toInt64OrNull', { k: 'index', e: fn('splitByChar', str('/'), s), index: num(2) })]], num(32));

function inRange(ip: SqlExpr, cidr: SqlExpr): SqlExpr {
  const bits = fn('least', prefix(cidr), prefix(ip));
  const shift = op('-', num(32), bits);
  return caseWhen([[or(isNull(parse(ip)), isNull(parse(cidr))), { k: 'null' }]], op('=', fn('bitShiftRight', parse(ip), shift), fn('bitShiftRight', parse(cidr), shift)));
}

export const NETWORK_LOWERINGS: Record<string, ScalarLowering> = {
  parse_ipv4: ([s], ctx) => parse(ctx.expr(s!)),
  ipv4_is_private: ([s], ctx) => {
    const ip = ctx.expr(s!);
    return caseWhen([[isNull(parse(ip)), { k: 'null' }]], or(inRange(ip, str('10.0.0.0/8')), inRange(ip, str('172.16.0.0/12')), inRange(ip, str('192.168.0.0/16'))));
  },
  ipv4_is_in_range: ([ip, cidr], ctx) => inRange(ctx.expr(ip!), ctx.expr(cidr!)),
  ipv4_is_in_any_range: ([ip, ...ranges], ctx) => {
    const items = ranges.flatMap((r) => (r.kind === 'const' && r.type === 'dynamic' && Array.isArray(r.value) ? r.value.map((v) => str(String(v))) : [ctx.expr(r)]));
    return or(...items.map((c) => inRange(ctx.expr(ip!), c)));
  },
  ipv4_is_match: ([a, b, p], ctx) => {
    const bits = p ? ctx.expr(p) : fn('least', prefix(ctx.expr(a!)), prefix(ctx.expr(b!)));
    const shift = op('-', num(32), bits);
    return op('=', fn('bitShiftRight', parse(ctx.expr(a!)), shift), fn('bitShiftRight', parse(ctx.expr(b!)), shift));
  },
  has_ipv4: ([s, ip], ctx) => {
    const n = ctx.constValue(ip!);
    if (typeof n !== 'string') throw new UnsupportedFeature('SF303', 'has_ipv4 needs a constant IP address');
    return fn('match', ctx.expr(s!), str(`(?:^|[^0-9A-Za-z.])${n.replace(/\./g, '\\.')}(?:$|[^0-9A-Za-z.])`));
  },
  has_ipv4_prefix: ([s, ip], ctx) => {
    const n = ctx.constValue(ip!);
    if (typeof n !== 'string') throw new UnsupportedFeature('SF303', 'has_ipv4_prefix needs a constant prefix');
    return fn('match', ctx.expr(s!), str(`(?:^|[^0-9A-Za-z.])${n.replace(/\./g, '\\.')}`));
  },
};
