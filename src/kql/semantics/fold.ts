import type { ConstValue, IrExpr } from '../../sql/ir/expr.js';

/**
 * Compile-time evaluation of the few calls whose value must be known before SQL is generated
 * (time windows such as `now(-5d)` so the engine can prune by Timestamp; lists for has_any) or
 * is trivially known. Anything not listed is left to the engine.
 */
export function foldCall(fn: string, args: IrExpr[], type: IrExpr['type']): IrExpr | undefined {
  if (!args.every((a) => a.kind === 'const')) return undefined;
  const v = args.map((a) => (a as { value: ConstValue }).value);
  const types = args.map((a) => a.type);
  if (v.some((x) => x === null) && fn !== 'coalesce' && fn !== 'isnull' && fn !== 'isnotnull') {
    return ['add', 'sub', 'mul', 'neg'].includes(fn) ? { kind: 'const', type, value: null } : undefined;
  }
  const big = (x: ConstValue) => x as bigint;
  switch (fn) {
    case 'neg':
      if (typeof v[0] === 'bigint') return { kind: 'const', type, value: -big(v[0]) };
      if (typeof v[0] === 'number') return { kind: 'const', type, value: -v[0] };
      return undefined;
    case 'add':
    case 'sub': {
      const sign = fn === 'add' ? 1n : -1n;
      if (typeof v[0] === 'bigint' && typeof v[1] === 'bigint') {
        // datetime ± timespan, timespan ± timespan, datetime - datetime, long ± long
        if (type === 'int' || type === 'long' || type === 'datetime' || type === 'timespan') {
          return { kind: 'const', type, value: big(v[0]) + sign * big(v[1]) };
        }
      }
      if (typeof v[0] === 'number' && typeof v[1] === 'number' && type === 'real') {
        return { kind: 'const', type, value: fn === 'add' ? v[0] + v[1] : v[0] - v[1] };
      }
      return undefined;
    }
    case 'mul':
      if (types[0] === 'timespan' && typeof v[0] === 'bigint' && typeof v[1] === 'bigint')
        return { kind: 'const', type, value: big(v[0]) * big(v[1]) };
      if (types[1] === 'timespan' && typeof v[0] === 'bigint' && typeof v[1] === 'bigint')
        return { kind: 'const', type, value: big(v[0]) * big(v[1]) };
      if (
        types[0] === 'timespan' &&
        typeof v[0] === 'bigint' &&
        typeof v[1] === 'number' &&
        Number.isFinite(v[1])
      )
        return { kind: 'const', type, value: BigInt(Math.round(Number(v[0]) * v[1])) };
      return undefined;
    case 'tolower':
      return typeof v[0] === 'string' ? { kind: 'const', type, value: asciiLower(v[0]) } : undefined;
    case 'toupper':
      return typeof v[0] === 'string'
        ? { kind: 'const', type, value: v[0].replace(/[a-z]/g, (c) => c.toUpperCase()) }
        : undefined;
    default:
      return undefined;
  }
}

/** Kusto folds case for ASCII letters only. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
