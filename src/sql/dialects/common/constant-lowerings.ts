import { num, str, type SqlExpr } from '../../ast/nodes.js';
import type { IrExpr, JsonLike } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';
import { kustoHash } from './xxhash64.js';

/**
 * Functions whose result socfeed computes while compiling, the same way for every engine: the
 * engines lack the primitive (XXH64) or cannot reproduce Kusto's canonical form exactly.
 */

/** hash(x[, mod]) of a constant string or datetime; anything else is SF302. */
export function constantHash([x, mod]: IrExpr[], ctx: LowerContext): SqlExpr {
  const h = kustoHash(ctx.constValue(x!), x!.type);
  if (h === undefined)
    throw new UnsupportedFeature(
      'SF302',
      'hash() is supported for constant strings and datetimes only (Kusto uses XXH64, which the engine lacks)',
    );
  const m = mod ? ctx.constValue(mod) : undefined;
  if (mod && typeof m !== 'bigint')
    throw new UnsupportedFeature('SF303', 'the modulo of hash() must be a constant');
  if (typeof m === 'bigint') return num(((h % m) + m) % m);
  return num(h);
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
