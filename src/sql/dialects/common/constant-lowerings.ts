import { num, op, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr, JsonLike } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { kustoHash } from './xxhash64.js';

/**
 * Functions whose result socfeed computes while compiling, the same way for every engine: the
 * engines lack the primitive (XXH64) or cannot reproduce Kusto's canonical form exactly.
 */

/** A dialect's XXH64 (seed 0, as a signed long) of a string's UTF-8 bytes or of a datetime's .NET ticks. */
export interface RuntimeHash {
  string(s: SqlExpr): SqlExpr;
  datetime(t: SqlExpr): SqlExpr;
}

/**
 * hash(x[, mod]): Kusto's XXH64 of x, and with mod the non-negative remainder. Constants are hashed
 * here (./xxhash64.ts, the reference); strings and datetimes known only at run time by the dialect's
 * SQL, which must agree with the reference bit for bit. Kusto documents the bytes it hashes only for
 * strings (UTF-8) and datetimes (ticks); other types are SF302. A null datetime hashes to null.
 */
export function lowerHash([x, mod]: IrExpr[], ctx: LowerContext, runtime: RuntimeHash): SqlExpr {
  const m = mod ? ctx.constValue(mod) : undefined;
  if (mod && (typeof m !== 'bigint' || m === 0n))
    throw new UnsupportedFeature('SF303', 'the modulo of hash() must be a non-zero constant');
  const h = kustoHash(ctx.constValue(x!), x!.type);
  if (h !== undefined) return num(typeof m === 'bigint' ? ((h % m) + m) % m : h);
  let e: SqlExpr;
  if (x!.type === 'string') e = runtime.string(ctx.expr(x!));
  else if (x!.type === 'datetime') e = runtime.datetime(ctx.expr(x!));
  else
    throw new UnsupportedFeature(
      'SF302',
      `hash() of a ${x!.type} is not supported: Kusto documents the bytes it hashes only for strings and datetimes`,
    );
  return typeof m === 'bigint' ? op('%', op('+', op('%', e, num(m)), num(m)), num(m)) : e;
}

/** JSON with the keys of every object sorted (Kusto's dynamic_to_json is canonical). */
export function sortedJson(v: JsonLike): JsonLike {
  if (Array.isArray(v)) return v.map(sortedJson);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortedJson(v[k]!)]),
    );
  return v;
}

/** dynamic_to_json of a constant dynamic value as canonical text, or undefined when it is not constant. */
export function constantDynamicToJson(d: IrExpr, ctx: LowerContext): SqlExpr | undefined {
  const v = ctx.constValue(d);
  if (v === undefined || d.type !== 'dynamic') return undefined;
  return str(v === null ? '' : JSON.stringify(sortedJson(v as JsonLike)));
}
