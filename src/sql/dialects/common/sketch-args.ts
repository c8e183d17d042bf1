import type { IrExpr } from '../../ir/expr.js';
import { UnsupportedFeature, type LowerContext } from '../dialect.js';

/** Whether an argument is a `typeof(T)` literal (the binder passes it as the text `typeof:T`). */
export function isTypeLiteral(ctx: LowerContext, e: IrExpr | undefined): boolean {
  const v = e ? ctx.constValue(e) : undefined;
  return typeof v === 'string' && v.startsWith('typeof:');
}

/**
 * The percentages of percentiles_array_tdigest(t, p1, p2, … | dynamic([p…]) [, typeof(T)]):
 * constants only, in the order written.
 */
export function tdigestPercents(args: IrExpr[], ctx: LowerContext): number[] {
  const percents: number[] = [];
  for (const a of args.slice(1)) {
    if (isTypeLiteral(ctx, a)) continue;
    const v = ctx.constValue(a);
    if (Array.isArray(v)) percents.push(...v.map(Number));
    else if (typeof v === 'number' || typeof v === 'bigint') percents.push(Number(v));
    else throw new UnsupportedFeature('SF303', 'percentiles_array_tdigest() needs constant percentiles');
  }
  return percents;
}
